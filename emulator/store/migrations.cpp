// The schema, as forward migrations. Append new ones; never edit one that has shipped.
#include "store/store.h"

namespace slipway::store {

const std::vector<Migration>& all_migrations() {
  static const std::vector<Migration> migrations = {
      {1, "daemon metadata and run history",
       "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
       "CREATE TABLE daemon_runs ("
       "  run_id INTEGER PRIMARY KEY AUTOINCREMENT,"
       "  started_at_ms INTEGER NOT NULL,"
       "  stopped_at_ms INTEGER,"
       "  version TEXT NOT NULL,"
       "  pid INTEGER NOT NULL,"
       "  seed TEXT NOT NULL,"
       "  manifest TEXT NOT NULL);"},
      {2, "sqs queues, messages and deduplication entries",
       // Maps (attributes, tags) are BLOBs in the encoding of store/sqs_store.h.
       "CREATE TABLE sqs_queues ("
       "  name TEXT PRIMARY KEY,"
       "  created_timestamp_s INTEGER NOT NULL,"
       "  last_modified_timestamp_s INTEGER NOT NULL,"
       "  attributes BLOB NOT NULL,"
       "  tags BLOB NOT NULL,"
       "  dedup_by_message_group INTEGER NOT NULL) WITHOUT ROWID;"
       // Keyed by the service-wide sequence: inserts append in key order (random message ids
       // as the key made every insert dirty a random index page: 2.5x slower batch sends).
       "CREATE TABLE sqs_messages ("
       "  queue TEXT NOT NULL,"
       "  message_id TEXT NOT NULL,"
       "  sequence INTEGER PRIMARY KEY,"
       "  body BLOB NOT NULL,"
       "  message_attributes BLOB NOT NULL,"
       "  message_system_attributes BLOB NOT NULL,"
       "  sent_timestamp_ms INTEGER NOT NULL,"
       "  enqueued_at_us INTEGER NOT NULL,"
       "  first_receive_timestamp_ms INTEGER NOT NULL,"
       "  receive_count INTEGER NOT NULL,"
       "  visible_at_us INTEGER NOT NULL,"
       "  received_at_us INTEGER NOT NULL,"
       "  receipt_handle TEXT NOT NULL,"
       "  message_group_id TEXT,"
       "  message_deduplication_id TEXT,"
       "  sequence_number TEXT NOT NULL,"
       "  dead_letter_queue_source_arn TEXT NOT NULL);"
       "CREATE INDEX sqs_messages_by_queue ON sqs_messages(queue);"
       "CREATE TABLE sqs_dedup ("
       "  queue TEXT NOT NULL,"
       "  key TEXT NOT NULL,"
       "  message_id TEXT NOT NULL,"
       "  sequence_number TEXT NOT NULL,"
       "  expires_at_us INTEGER NOT NULL,"
       "  PRIMARY KEY (queue, key)) WITHOUT ROWID;"
       // Rowid order is start order (an upsert keeps the row).
       "CREATE TABLE sqs_move_tasks ("
       "  task_id TEXT NOT NULL UNIQUE,"
       "  task_handle TEXT NOT NULL,"
       "  source_arn TEXT NOT NULL,"
       "  destination_arn TEXT,"
       "  max_number_of_messages_per_second INTEGER,"
       "  rate INTEGER NOT NULL,"
       "  status TEXT NOT NULL,"
       "  moved INTEGER NOT NULL,"
       "  to_move INTEGER NOT NULL,"
       "  failure_reason TEXT NOT NULL,"
       "  started_timestamp_ms INTEGER NOT NULL);"},
      {3, "Lambda asynchronous (Event) invocations accepted and not yet final",
       "CREATE TABLE lambda_async_events ("
       "  sequence INTEGER PRIMARY KEY,"
       "  request_id TEXT NOT NULL UNIQUE,"
       "  function TEXT NOT NULL,"
       "  payload BLOB NOT NULL,"
       "  trace_id TEXT NOT NULL,"
       "  accepted_at_us INTEGER NOT NULL,"
       "  attempts INTEGER NOT NULL);"},
      // Maintaining it cost 13% of a SendMessage's instructions. Only PurgeQueue and DeleteQueue
      // select messages by queue; without it they scan the table, which they may (rare actions).
      {4, "sqs messages: drop the by-queue index", "DROP INDEX sqs_messages_by_queue;"},
  };
  return migrations;
}

}  // namespace slipway::store
