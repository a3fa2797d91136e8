// @aws-sdk/client-sqs (v3, AWS JSON 1.0) against the endpoint in SLIPWAY_SQS_ENDPOINT.
// The SDK itself checks MD5OfBody on Send, SendBatch and Receive and throws on a mismatch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  SQSClient, GetQueueUrlCommand, ListQueuesCommand, SendMessageCommand, ReceiveMessageCommand,
  DeleteMessageCommand, SendMessageBatchCommand, DeleteMessageBatchCommand,
  ChangeMessageVisibilityCommand, GetQueueAttributesCommand, SetQueueAttributesCommand,
  ListQueueTagsCommand, CreateQueueCommand, DeleteQueueCommand, QueueDoesNotExist, ReceiptHandleIsInvalid,
} from '@aws-sdk/client-sqs';
import {
  endpoint, credentials, region, makeClient, makeQueue, uniqueName, md5Hex, md5OfMessageAttributes,
  counts, referenceGap, underReference,
} from './common.mjs';

const client = makeClient();

const ATTRIBUTES = {
  Greeting: { DataType: 'String', StringValue: 'h\u00e9llo w\u00f6rld \u{1F680}' },
  Count: { DataType: 'Number', StringValue: '42' },
  Blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([0, 1, 254, 255, 98, 105, 110]) },
};
const BODY = 'Hello, "slipway" <&> h\u00e9llo \u{1F680}\r\nsecond line';

test('create, get url, list, tags', async (t) => {
  const name = uniqueName('basics');
  const input = { QueueName: name, Attributes: { VisibilityTimeout: '40' }, tags: { team: 'core' } };
  const { QueueUrl } = await client.send(new CreateQueueCommand(input));
  t.after(() => client.send(new DeleteQueueCommand({ QueueUrl })));
  assert.equal((await client.send(new CreateQueueCommand(input))).QueueUrl, QueueUrl, 'idempotent');
  await assert.rejects(client.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '41' } })),
    (err) => err.name === 'QueueNameExists' && err.Code === 'QueueAlreadyExists');
  assert.equal(new URL(QueueUrl).host, new URL(endpoint).host, 'queue URL host:port is the endpoint');
  assert.ok(QueueUrl.endsWith(`/${name}`), QueueUrl);
  assert.equal((await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl, QueueUrl);
  const listed = await client.send(new ListQueuesCommand({ QueueNamePrefix: name }));
  assert.deepEqual(listed.QueueUrls, [QueueUrl]);
  const { Attributes } = await client.send(new GetQueueAttributesCommand({
    QueueUrl, AttributeNames: ['VisibilityTimeout', 'QueueArn'],
  }));
  assert.equal(Attributes.VisibilityTimeout, '40');
  assert.match(Attributes.QueueArn, new RegExp(`^arn:aws:sqs:us-east-1:\\d{12}:${name}$`));
  await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '50' } }));
  const after = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }));
  assert.equal(after.Attributes.VisibilityTimeout, '50');
  assert.deepEqual((await client.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { team: 'core' });
});

test('send, receive, delete with attributes and MD5s', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'msg');
  const sent = await client.send(new SendMessageCommand({
    QueueUrl, MessageBody: BODY, MessageAttributes: ATTRIBUTES,
  }));
  assert.equal(sent.MD5OfMessageBody, md5Hex(BODY));
  assert.equal(sent.MD5OfMessageAttributes, md5OfMessageAttributes(ATTRIBUTES));

  const got = await client.send(new ReceiveMessageCommand({
    QueueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 1,
  }));
  assert.equal(got.Messages.length, 1);
  const [m] = got.Messages;
  assert.equal(m.MessageId, sent.MessageId);
  assert.equal(m.Body, BODY);
  assert.equal(m.MD5OfBody, md5Hex(BODY));
  assert.equal(m.MD5OfMessageAttributes, md5OfMessageAttributes(ATTRIBUTES));
  assert.deepEqual(m.MessageAttributes.Count, ATTRIBUTES.Count);
  assert.deepEqual(Buffer.from(m.MessageAttributes.Blob.BinaryValue), Buffer.from(ATTRIBUTES.Blob.BinaryValue));
  assert.equal(m.Attributes.ApproximateReceiveCount, '1');
  assert.ok(Math.abs(Number(m.Attributes.SentTimestamp) - Date.now()) < 60_000);

  await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  assert.deepEqual(await counts(client, QueueUrl), ['0', '0']);
  const empty = await client.send(new ReceiveMessageCommand({ QueueUrl }));
  assert.equal(empty.Messages, undefined);
});

test('batch send and delete with one bad receipt handle', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'batch');
  const sent = await client.send(new SendMessageBatchCommand({
    QueueUrl,
    Entries: [0, 1, 2].map((i) => ({ Id: `e${i}`, MessageBody: `batch ${i}` })),
  }));
  assert.deepEqual(sent.Successful.map((e) => e.Id).sort(), ['e0', 'e1', 'e2']);
  assert.equal((sent.Failed || []).length, 0);
  let messages = [];
  for (let i = 0; i < 5 && messages.length < 3; i++) {
    const r = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    messages = messages.concat(r.Messages || []);
  }
  assert.deepEqual(messages.map((m) => m.Body).sort(), ['batch 0', 'batch 1', 'batch 2']);
  const deleted = await client.send(new DeleteMessageBatchCommand({
    QueueUrl,
    Entries: [...messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      { Id: 'bad', ReceiptHandle: 'garbage' }],
  }));
  assert.deepEqual(deleted.Successful.map((e) => e.Id).sort(), ['d0', 'd1', 'd2']);
  assert.deepEqual(deleted.Failed.map((e) => [e.Id, e.Code, e.SenderFault]), [['bad', 'ReceiptHandleIsInvalid', true]]);
  assert.deepEqual(await counts(client, QueueUrl), ['0', '0']);
});

test('FIFO keeps order within a group and deduplicates by content', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'fifo', { fifo: true, attributes: { ContentBasedDeduplication: 'true' } });
  const sequence = [];
  for (const body of ['a', 'b', 'a', 'c']) {
    const r = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: 'g' }));
    sequence.push(r.SequenceNumber);
  }
  if (!underReference) { // moto_server 5.2 omits SequenceNumber when dedup is content-based
    const fresh = [sequence[0], sequence[1], sequence[3]].map((n) => BigInt(n));
    assert.ok(fresh[0] < fresh[1] && fresh[1] < fresh[2], `SequenceNumbers ${sequence}`);
  }
  const bodies = [];
  for (let i = 0; i < 10; i++) {
    const r = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    if (!r.Messages) break;
    for (const m of r.Messages) {
      bodies.push(m.Body);
      await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  assert.deepEqual(bodies, ['a', 'b', 'c']);
});

test('visibility: ChangeMessageVisibility 0 makes the message receivable again', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'vis');
  await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
  const first = await client.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 60 }));
  assert.equal(first.Messages.length, 1);
  assert.equal((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
  await client.send(new ChangeMessageVisibilityCommand({
    QueueUrl, ReceiptHandle: first.Messages[0].ReceiptHandle, VisibilityTimeout: 0,
  }));
  const again = await client.send(new ReceiveMessageCommand({
    QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'],
  }));
  assert.equal(again.Messages[0].MessageId, first.Messages[0].MessageId);
  assert.equal(again.Messages[0].Attributes.ApproximateReceiveCount, '2');
});

test('errors carry the modeled class and the query code', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'err');
  const missingUrl = QueueUrl.replace(/[^/]+$/, uniqueName('missing'));
  await assert.rejects(client.send(new GetQueueUrlCommand({ QueueName: uniqueName('nope') })), (err) => {
    assert.ok(err instanceof QueueDoesNotExist, `${err.name}: ${err.message}`);
    assert.equal(err.name, 'QueueDoesNotExist');
    assert.equal(err.Code, 'AWS.SimpleQueueService.NonExistentQueue');
    assert.equal(err.$metadata.httpStatusCode, 400);
    return true;
  });
  await assert.rejects(client.send(new SendMessageCommand({ QueueUrl: missingUrl, MessageBody: 'x' })),
    (err) => err.name === 'QueueDoesNotExist' && err.Code === 'AWS.SimpleQueueService.NonExistentQueue');
  await assert.rejects(client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'garbage' })), (err) => {
    assert.ok(err instanceof ReceiptHandleIsInvalid, `${err.name}: ${err.message}`);
    assert.equal(err.Code, 'ReceiptHandleIsInvalid');
    return true;
  });
  await assert.rejects(client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })), (err) => {
    assert.equal(err.Code, 'InvalidParameterValue', `${err.name}: ${err.message}`);
    assert.equal(err.$metadata.httpStatusCode, 400);
    return true;
  });
  await assert.rejects(client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Foobar'] })),
    (err) => err.name === 'InvalidAttributeName' && err.Code === 'InvalidAttributeName');
});

test('a client without an endpoint follows the queue URL (useQueueUrlAsEndpoint)', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'follow');
  // No endpoint: AWS's by default; the middleware warns, then sends to the queue URL's origin.
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const follower = new SQSClient({ region, credentials, maxAttempts: 1, logger: quiet });
  const sent = await follower.send(new SendMessageCommand({ QueueUrl, MessageBody: 'via queue url' }));
  const got = await follower.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
  assert.equal(got.Messages[0].MessageId, sent.MessageId);
  await follower.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got.Messages[0].ReceiptHandle }));
  assert.deepEqual(await counts(client, QueueUrl), ['0', '0']);
});

test('long poll returns when a message arrives', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'poll');
  const started = Date.now();
  const sender = sleep(500).then(() => client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' })));
  const got = await client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
  await sender;
  const elapsed = Date.now() - started;
  assert.equal(got.Messages?.[0]?.Body, 'late');
  assert.ok(elapsed >= 400 && elapsed < 3000, `elapsed ${elapsed} ms`);
});

test('purge twice in 60 s: PurgeQueueInProgress', { skip: referenceGap('moto_server 5.2 allows back-to-back purges') }, async (t) => {
  const { PurgeQueueCommand, PurgeQueueInProgress } = await import('@aws-sdk/client-sqs');
  const QueueUrl = await makeQueue(t, client, 'purge');
  await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
  await client.send(new PurgeQueueCommand({ QueueUrl }));
  await assert.rejects(client.send(new PurgeQueueCommand({ QueueUrl })), (err) => {
    assert.ok(err instanceof PurgeQueueInProgress, `${err.name}: ${err.message}`);
    assert.equal(err.Code, 'AWS.SimpleQueueService.PurgeQueueInProgress');
    assert.equal(err.$metadata.httpStatusCode, 403);
    return true;
  });
});
