// sqs-consumer (14.x, on @aws-sdk/client-sqs v3) consuming from the endpoint in SLIPWAY_SQS_ENDPOINT:
// everything handled is deleted, and a handler that throws leaves the message to come back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Consumer } from 'sqs-consumer';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { makeClient, makeQueue, counts, waitUntil, region } from './common.mjs';

const client = makeClient();

async function sendBodies(QueueUrl, bodies) {
  for (let i = 0; i < bodies.length; i += 10) {
    const chunk = bodies.slice(i, i + 10);
    const r = await client.send(new SendMessageBatchCommand({
      QueueUrl, Entries: chunk.map((MessageBody, j) => ({ Id: `m${i + j}`, MessageBody })),
    }));
    assert.equal(r.Successful.length, chunk.length, JSON.stringify(r.Failed));
  }
}

// Starts the consumer and stops it (aborting its long poll) when the test ends.
function run(t, consumer) {
  const errors = [];
  consumer.on('error', (err) => errors.push(err));
  t.after(async () => {
    if (consumer.status.isRunning) {
      const stopped = once(consumer, 'stopped');
      consumer.stop({ abort: true });
      await stopped;
    }
  });
  consumer.start();
  return errors;
}

async function assertDrained(QueueUrl) {
  const drained = await waitUntil(async () => {
    const c = await counts(client, QueueUrl);
    return c[0] === '0' && c[1] === '0' ? c : null;
  }, 3000);
  assert.deepEqual(drained, ['0', '0'], 'queue empty: nothing visible, nothing in flight');
}

test('handleMessage consumes and deletes every message (own client, follows the queue URL)', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'consume');
  const bodies = Array.from({ length: 12 }, (_, i) => `job ${i}`);
  await sendBodies(QueueUrl, bodies);
  const seen = [];
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  // No `sqs` option: sqs-consumer builds its own client that sends to the queue URL's origin.
  const consumer = Consumer.create({
    queueUrl: QueueUrl,
    region,
    batchSize: 5,
    waitTimeSeconds: 1,
    handleMessage: async (message) => { seen.push(message.Body); return message; },
  });
  consumer.sqs.config.logger = quiet;
  const errors = run(t, consumer);
  const done = await waitUntil(() => seen.length >= bodies.length, 15000);
  assert.ok(done, `handled ${seen.length} of ${bodies.length}; errors: ${errors.map((e) => e.message)}`);
  assert.deepEqual([...seen].sort(), [...bodies].sort());
  await assertDrained(QueueUrl);
  assert.deepEqual(errors, []);
});

test('handleMessageBatch consumes and batch-deletes every message', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'batchconsume');
  const bodies = Array.from({ length: 15 }, (_, i) => `batch job ${i}`);
  await sendBodies(QueueUrl, bodies);
  const seen = [];
  const consumer = Consumer.create({
    queueUrl: QueueUrl,
    sqs: makeClient(),
    batchSize: 10,
    waitTimeSeconds: 1,
    handleMessageBatch: async (messages) => { seen.push(...messages.map((m) => m.Body)); return messages; },
  });
  const errors = run(t, consumer);
  const done = await waitUntil(() => seen.length >= bodies.length, 15000);
  assert.ok(done, `handled ${seen.length} of ${bodies.length}; errors: ${errors.map((e) => e.message)}`);
  assert.deepEqual([...seen].sort(), [...bodies].sort());
  await assertDrained(QueueUrl);
  assert.deepEqual(errors, []);
});

test('a handler that throws leaves the message to reappear after its visibility timeout', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'retry');
  await sendBodies(QueueUrl, ['flaky']);
  const deliveries = [];
  const processingErrors = [];
  const consumer = Consumer.create({
    queueUrl: QueueUrl,
    sqs: makeClient(),
    visibilityTimeout: 1,
    waitTimeSeconds: 1,
    messageSystemAttributeNames: ['ApproximateReceiveCount'],
    handleMessage: async (message) => {
      deliveries.push({ count: message.Attributes?.ApproximateReceiveCount, at: Date.now(), id: message.MessageId });
      if (deliveries.length === 1) throw new Error('boom');
      return message;
    },
  });
  consumer.on('processing_error', (err) => processingErrors.push(err));
  const errors = run(t, consumer);
  const processed = once(consumer, 'message_processed');
  const done = await waitUntil(() => deliveries.length >= 2, 10000);
  assert.ok(done, `deliveries: ${JSON.stringify(deliveries)}`);
  await processed;
  assert.equal(processingErrors.length, 1);
  assert.match(processingErrors[0].message, /boom/);
  assert.deepEqual(deliveries.map((d) => d.count), ['1', '2']);
  assert.equal(deliveries[0].id, deliveries[1].id);
  assert.ok(deliveries[1].at - deliveries[0].at >= 800, 'came back only after the 1 s visibility timeout');
  await assertDrained(QueueUrl);
  assert.deepEqual(errors, []);
});

test('terminateVisibilityTimeout: a failed message is released at once', async (t) => {
  const QueueUrl = await makeQueue(t, client, 'terminate');
  await sendBodies(QueueUrl, ['flaky']);
  const deliveries = [];
  const consumer = Consumer.create({
    queueUrl: QueueUrl,
    sqs: makeClient(),
    visibilityTimeout: 30,
    waitTimeSeconds: 1,
    terminateVisibilityTimeout: true, // ChangeMessageVisibility 0 on failure
    handleMessage: async (message) => {
      deliveries.push(Date.now());
      if (deliveries.length === 1) throw new Error('boom');
      return message;
    },
  });
  consumer.on('processing_error', () => {});
  const errors = run(t, consumer);
  const done = await waitUntil(() => deliveries.length >= 2, 8000);
  assert.ok(done, `deliveries: ${deliveries.length}`);
  assert.ok(deliveries[1] - deliveries[0] < 5000, 'redelivered long before the 30 s timeout');
  await assertDrained(QueueUrl);
  assert.deepEqual(errors, []);
});
