// SQS persistence on SQLite: the store adapter behind sqs::Persistence, and the loader that reads
// an sqs::SqsSnapshot back at start.
//
// Owns: the tables of migration 2 (migrations.cpp):
//   sqs_queues   (name PK; created/last-modified seconds; attributes BLOB; tags BLOB)
//   sqs_messages (sequence INTEGER PRIMARY KEY, so records append in key order; an index on
//                 queue for purge and DeleteQueue; one column per MessageRecord field;
//                 body and both attribute maps as BLOBs; group/dedup ids NULL when absent)
//   sqs_dedup    (PRIMARY KEY (queue, key); message id, sequence number, expiry) WITHOUT ROWID
//   sqs_move_tasks (task_id UNIQUE; rowid order = start order; one column per MoveTaskRecord field)
//
// Writes (SqliteSqsPersistence): each Persistence call on the loop thread records a write
// (Store::write) that owns its record; the store's writer thread runs it inside the pass's
// transaction (store.h). This adapter never begins or commits. Every statement is prepared once,
// in the constructor, and reset and rebound per write: every SendMessage, ReceiveMessage and
// DeleteMessage passes here.
// put_* are upserts (ON CONFLICT DO UPDATE). remove_queue deletes the queue, its messages and its
// deduplication entries; remove_all_messages deletes the queue's messages and dedup entries.
//
// Errors: the Persistence methods return nothing. A SQLite failure is logged and fails the
// current transaction (Store::fail_transaction), so the pass's commit rolls back and none of its
// replies is acknowledged (DESIGN rule 2). The service's memory may then be ahead of the disk;
// the next start reloads what was committed.
//
// Encoding of maps (one BLOB per map rather than child rows: a message is written and read as
// one row, which is what the hot path and a 1M-message load want; nothing ever queries by
// attribute). The encoding is self-describing and binary-safe:
//   blob  := ""                                     an empty map (most messages have none)
//          | tag:u8 count:varint entry{count}
//   tag   := 0x01  MessageAttributes: entry := str(name) str(data_type) str(string_value)
//                                              str(binary_value)
//          | 0x02  string map (queue attributes, tags): entry := str(key) str(value)
//   str   := length:varint byte{length}             raw bytes, NULs allowed
//   varint:= unsigned LEB128, at most 10 bytes
// Names are written in strictly increasing byte order (std::map order). The decoder rejects a
// wrong tag, a truncated or overlong varint, a length past the end, names out of order or
// repeated, and trailing bytes, with an error; it never reads out of bounds.
//
// Extending: a new MessageRecord field is a new column in a new migration, bound in put_message
// and read in load_sqs_snapshot. A new map layout is a new tag; keep decoding the old ones.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "sqs/persistence.h"
#include "store/store.h"

struct sqlite3_stmt;

namespace slipway::store {

class SqliteSqsPersistence final : public sqs::Persistence {
 public:
  // REQUIRES: `store` has migration 2 applied and outlives this object. Prepares every
  // statement; if that fails, ready() says why and every write fails its transaction.
  explicit SqliteSqsPersistence(Store& store);
  ~SqliteSqsPersistence() override;
  SqliteSqsPersistence(const SqliteSqsPersistence&) = delete;
  SqliteSqsPersistence& operator=(const SqliteSqsPersistence&) = delete;

  // Ok once every statement is prepared; check it at start.
  core::Status ready() const;

  void put_queue(const sqs::QueueRecord& queue) override;
  void remove_queue(const std::string& name) override;
  void put_message(sqs::MessageRecord message) override;
  void put_message_state(sqs::MessageStateRecord state) override;
  void remove_message(const std::string& queue, uint64_t sequence) override;
  void remove_all_messages(const std::string& queue) override;
  void put_dedup(const sqs::DedupRecord& entry) override;
  void remove_dedup(const std::string& queue, const std::string& key) override;
  void put_move_task(const sqs::MoveTaskRecord& task) override;

 private:
  // The statements, bound and stepped: these run where the store runs writes (store.h).
  void store_queue(const sqs::QueueRecord& queue);
  void delete_queue(const std::string& name);
  void store_message(const sqs::MessageRecord& message);
  void store_message_state(const sqs::MessageStateRecord& state);
  void delete_message(uint64_t sequence);
  void delete_all_messages(const std::string& queue);
  void store_dedup(const sqs::DedupRecord& entry);
  void delete_dedup(const std::string& queue, const std::string& key);
  void store_move_task(const sqs::MoveTaskRecord& task);

  enum Stmt {
    kPutQueue,
    kDeleteQueue,
    kPutMessage,
    kPutMessageState,
    kDeleteMessage,
    kDeleteQueueMessages,
    kPutDedup,
    kDeleteDedup,
    kDeleteQueueDedup,
    kPutMoveTask,
    kStmtCount,
  };
  // Steps the bound statement `s`, then resets it; on failure logs and fails the transaction.
  void run(Stmt s, int bind_rc);
  void fail(const std::string& what, int rc);

  Store& store_;
  sqlite3_stmt* stmts_[kStmtCount] = {};
  std::string prepare_error_;
  // Encoding buffers reused across writes (bound with SQLITE_STATIC, valid until the next one).
  std::string buf_a_;
  std::string buf_b_;
};

// Reads every queue, message and deduplication entry. next_sequence is one above the highest
// message sequence, or 1. Fails on a SQLite error or a corrupt attribute/tag blob, naming the row.
core::Result<sqs::SqsSnapshot> load_sqs_snapshot(Store& store);

// The map encodings described above; exposed for tests.
void encode_message_attributes(const sqs::MessageAttributes& attributes, std::string& out);
core::Result<sqs::MessageAttributes> decode_message_attributes(std::string_view blob);
void encode_string_map(const std::map<std::string, std::string>& map, std::string& out);
core::Result<std::map<std::string, std::string>> decode_string_map(std::string_view blob);

}  // namespace slipway::store
