// @aws-sdk/client-lambda (v3, restJson1) against the daemon in SLIPWAY_LAMBDA_ENDPOINT, which
// test_lambda_js.py starts with the functions `echo` (the C++ runtime fixture) and `node`
// (aws-lambda-ric); see fixtures/runtimes/README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LambdaClient, InvokeCommand, ListFunctionsCommand, GetFunctionCommand, ResourceNotFoundException,
} from '@aws-sdk/client-lambda';

const endpoint = process.env.SLIPWAY_LAMBDA_ENDPOINT;
if (!endpoint) throw new Error('SLIPWAY_LAMBDA_ENDPOINT is not set (run through test_lambda_js.py)');

const client = new LambdaClient({
  endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1,
});
const ARN_PREFIX = 'arn:aws:lambda:us-east-1:000000000000:function:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const encode = (value) => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes) => JSON.parse(new TextDecoder().decode(bytes));
const invoke = (FunctionName, event, extra = {}) =>
  client.send(new InvokeCommand({ FunctionName, Payload: encode(event), ...extra }));

test('invoke: the payload round-trips as bytes', async () => {
  const event = { a: 1, text: 'h\u00e9llo \u{1F680}', nested: { list: [1, null, true] } };
  const out = await invoke('echo', event);
  assert.equal(out.StatusCode, 200);
  assert.equal(out.ExecutedVersion, '$LATEST');
  assert.equal(out.FunctionError, undefined);
  assert.ok(out.Payload instanceof Uint8Array);
  assert.deepEqual(decode(out.Payload), event);
  assert.match(out.$metadata.requestId, UUID);
});

test('invoke: aws-lambda-ric sees the request id the caller gets', async () => {
  const out = await invoke('node', { from: 'js' });
  const body = decode(out.Payload);
  assert.deepEqual(body.node_echo, { from: 'js' });
  assert.equal(body.requestId, out.$metadata.requestId);
  assert.equal(body.fn, 'node');
});

test('invoke: a function error', async () => {
  const out = await invoke('echo', { action: 'error', message: 'js boom', errorType: 'JsError' });
  assert.equal(out.StatusCode, 200);
  assert.equal(out.FunctionError, 'Unhandled');
  assert.deepEqual(decode(out.Payload), { errorMessage: 'js boom', errorType: 'JsError', stackTrace: [] });
  const node = await invoke('node', { action: 'error' });
  assert.equal(node.FunctionError, 'Unhandled');
  const err = decode(node.Payload);
  assert.equal(err.errorType, 'NodeFixtureError');
  assert.equal(err.errorMessage, 'node boom');
});

test('invoke: a crash is Runtime.ExitError', async () => {
  const out = await invoke('echo', { action: 'crash', code: 5 });
  assert.equal(out.FunctionError, 'Unhandled');
  assert.deepEqual(decode(out.Payload), {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 5`,
  });
});

test('invoke: LogType Tail', async () => {
  const out = await invoke('echo', { action: 'print', lines: ['from js'] }, { LogType: 'Tail' });
  const id = out.$metadata.requestId;
  const text = Buffer.from(out.LogResult, 'base64').toString('utf8');
  assert.ok(Buffer.byteLength(text) <= 4096);
  const lines = text.split('\n');
  assert.equal(lines[0], `START RequestId: ${id} Version: $LATEST`);
  assert.ok(lines.includes('from js'), `a line printed before the response is missing from the Tail:\n${text}`);
  assert.equal(lines.at(-3), `END RequestId: ${id}`);
  assert.match(lines.at(-2), new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms`
    + '\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB'
    + '\\t(Init Duration: \\d+\\.\\d\\d ms\\t)?$'));
});

test('invoke: Event and DryRun', async () => {
  const event = await invoke('echo', { a: 1 }, { InvocationType: 'Event' });
  assert.equal(event.StatusCode, 202);
  assert.equal(event.Payload?.length ?? 0, 0);
  const dry = await invoke('echo', { a: 1 }, { InvocationType: 'DryRun' });
  assert.equal(dry.StatusCode, 204);
});

test('invoke: an unknown function is ResourceNotFoundException', async () => {
  await assert.rejects(invoke('nope', {}), (err) => {
    assert.equal(err.name, 'ResourceNotFoundException');
    assert.ok(err instanceof ResourceNotFoundException);
    assert.equal(err.$metadata.httpStatusCode, 404);
    assert.equal(err.message, `Function not found: ${ARN_PREFIX}nope`);
    return true;
  });
});

test('invoke: a payload that is not JSON is InvalidRequestContentException', async () => {
  const bad = new TextEncoder().encode('{"unterminated');
  await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: bad })), (err) => {
    assert.equal(err.name, 'InvalidRequestContentException');
    assert.equal(err.$metadata.httpStatusCode, 400);
    return true;
  });
});

test('ListFunctions and GetFunction', async () => {
  const { Functions } = await client.send(new ListFunctionsCommand({}));
  assert.deepEqual(Functions.map((f) => f.FunctionName), ['echo', 'node']);
  for (const f of Functions) {
    assert.equal(f.FunctionArn, ARN_PREFIX + f.FunctionName);
    assert.equal(f.Runtime, 'provided.al2023');
    assert.equal(f.MemorySize, 128);
    assert.equal(f.Timeout, 3);
  }
  assert.equal(Functions[1].Handler, 'index.handler');
  const got = await client.send(new GetFunctionCommand({ FunctionName: `000000000000:function:node` }));
  assert.deepEqual(got.Configuration, Functions[1]);
});
