// Shared by the JavaScript SQS tests: the endpoint (given by test_sqs_js.py), clients with dummy
// credentials, unique queue names, the MD5OfMessageAttributes algorithm (spec sqs.md §3.3).
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  SQSClient, CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';

export const endpoint = process.env.SLIPWAY_SQS_ENDPOINT;
if (!endpoint) throw new Error('SLIPWAY_SQS_ENDPOINT is not set (run through test_sqs_js.py)');

// Set when the endpoint is a reference server (moto_server); tests it is known to get wrong are
// skipped only then, never against slipway.
export const underReference = process.env.SLIPWAY_SQS_REFERENCE === '1';
export const referenceGap = (reason) => (underReference ? `reference server gap: ${reason}` : false);

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const region = 'us-east-1';

export function makeClient(extra = {}) {
  return new SQSClient({ endpoint, region, credentials, maxAttempts: 2, ...extra });
}

export function uniqueName(hint, fifo = false) {
  const name = `slw-js-${hint}-${randomBytes(6).toString('hex')}`;
  return fifo ? `${name}.fifo` : name;
}

export function md5Hex(data) {
  return createHash('md5').update(data).digest('hex');
}

export function md5OfMessageAttributes(attributes) {
  const names = Object.keys(attributes).sort();
  const parts = [];
  const prefixed = (buf) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(buf.length);
    parts.push(len, buf);
  };
  for (const name of names) {
    const attr = attributes[name];
    prefixed(Buffer.from(name, 'utf8'));
    prefixed(Buffer.from(attr.DataType, 'utf8'));
    if (attr.StringValue !== undefined) {
      parts.push(Buffer.from([1]));
      prefixed(Buffer.from(attr.StringValue, 'utf8'));
    } else {
      parts.push(Buffer.from([2]));
      prefixed(Buffer.from(attr.BinaryValue));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

// Creates a queue and registers its deletion with the test context `t`.
export async function makeQueue(t, client, hint, { attributes, tags, fifo = false } = {}) {
  const Attributes = { ...(attributes || {}) };
  if (fifo) Attributes.FifoQueue = 'true';
  const input = { QueueName: uniqueName(hint, fifo) };
  if (Object.keys(Attributes).length) input.Attributes = Attributes;
  if (tags) input.tags = tags;
  const { QueueUrl } = await client.send(new CreateQueueCommand(input));
  t.after(async () => {
    try { await client.send(new DeleteQueueCommand({ QueueUrl })); } catch { /* already gone */ }
  });
  return QueueUrl;
}

export async function counts(client, QueueUrl) {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({
    QueueUrl,
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
  }));
  return [Attributes.ApproximateNumberOfMessages, Attributes.ApproximateNumberOfMessagesNotVisible];
}

// Polls fn() until it returns a truthy value or timeoutMs passes; returns the last value.
export async function waitUntil(fn, timeoutMs, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value || Date.now() >= deadline) return value;
    await sleep(intervalMs);
  }
}
