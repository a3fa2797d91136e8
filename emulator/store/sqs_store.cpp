#include "store/sqs_store.h"

#include <sqlite3.h>

#include <cstdint>
#include <iterator>
#include <optional>
#include <utility>

#include "platform/log.h"

namespace slipway::store {

namespace {

constexpr unsigned char kTagMessageAttributes = 0x01;
constexpr unsigned char kTagStringMap = 0x02;

// ---- Encoding ----

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_str(std::string& out, const std::string& s) {
  put_varint(out, s.size());
  out.append(s);
}

// A bounds-checked reader over a blob; every read fails (returns false) rather than overrun.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool done() const { return pos_ == in_.size(); }
  size_t remaining() const { return in_.size() - pos_; }

  bool byte(unsigned char& b) {
    if (pos_ >= in_.size()) return false;
    b = static_cast<unsigned char>(in_[pos_++]);
    return true;
  }
  bool varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      unsigned char b = 0;
      if (!byte(b)) return false;
      if (shift == 63 && b > 1) return false;  // more than 64 bits
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;  // an 11th byte would be needed
  }
  bool str(std::string& s) {
    uint64_t n = 0;
    if (!varint(n) || n > remaining()) return false;
    s.assign(in_.data() + pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return true;
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

core::Error corrupt(const char* what) {
  return core::make_error(core::ErrorCode::kInternal, std::string("corrupt ") + what + " blob");
}

// Reads the header of a non-empty blob: checks the tag, returns the entry count. Each entry takes
// at least `min_entry_bytes`, so a count the blob cannot hold is rejected before any work.
bool read_header(Reader& r, unsigned char tag, size_t min_entry_bytes, uint64_t& count) {
  unsigned char t = 0;
  if (!r.byte(t) || t != tag) return false;
  if (!r.varint(count)) return false;
  return count <= r.remaining() / min_entry_bytes;
}

// ---- SQLite helpers ----

// Binds parameters of one statement, keeping the first failure code. Strings are bound
// SQLITE_STATIC: the caller's strings outlive the step, and run() clears the bindings after.
class Binder {
 public:
  explicit Binder(sqlite3_stmt* s) : s_(s) {}
  int rc() const { return rc_; }
  Binder& text(int i, const std::string& v) {
    return keep(sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8));
  }
  // data() is never null, so an empty string binds an empty blob, not NULL.
  Binder& blob(int i, const std::string& v) {
    return keep(sqlite3_bind_blob64(s_, i, v.data(), v.size(), SQLITE_STATIC));
  }
  Binder& optional_text(int i, const std::optional<std::string>& v) {
    return v ? text(i, *v) : keep(sqlite3_bind_null(s_, i));
  }
  Binder& i64(int i, int64_t v) { return keep(sqlite3_bind_int64(s_, i, v)); }

 private:
  Binder& keep(int rc) {
    if (rc_ == SQLITE_OK) rc_ = rc;
    return *this;
  }
  sqlite3_stmt* s_;
  int rc_ = SQLITE_OK;
};

std::string column_string(sqlite3_stmt* s, int i) {
  const void* p = sqlite3_column_blob(s, i);
  const int n = sqlite3_column_bytes(s, i);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}
std::string_view column_view(sqlite3_stmt* s, int i) {
  const void* p = sqlite3_column_blob(s, i);
  const int n = sqlite3_column_bytes(s, i);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n))
           : std::string_view();
}
std::optional<std::string> column_optional(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  return column_string(s, i);
}

// Column lists, shared by the writes and the loader so they cannot drift apart.
#define SQS_MESSAGE_COLUMNS                                                                \
  "queue, message_id, sequence, body, message_attributes, message_system_attributes,"     \
  " sent_timestamp_ms, enqueued_at_us, first_receive_timestamp_ms, receive_count,"        \
  " visible_at_us, receipt_handle, message_group_id, message_deduplication_id,"           \
  " sequence_number, dead_letter_queue_source_arn, received_at_us"
#define SQS_QUEUE_COLUMNS \
  "name, created_timestamp_s, last_modified_timestamp_s, attributes, tags, dedup_by_message_group"
#define SQS_DEDUP_COLUMNS "queue, key, message_id, sequence_number, expires_at_us"
#define SQS_MOVE_TASK_COLUMNS                                                              \
  "task_id, task_handle, source_arn, destination_arn, max_number_of_messages_per_second," \
  " rate, status, moved, to_move, failure_reason, started_timestamp_ms"

const char* const kSql[] = {
    // kPutQueue
    "INSERT INTO sqs_queues(" SQS_QUEUE_COLUMNS ") VALUES (?1,?2,?3,?4,?5,?6)"
    " ON CONFLICT(name) DO UPDATE SET created_timestamp_s=?2, last_modified_timestamp_s=?3,"
    " attributes=?4, tags=?5, dedup_by_message_group=?6",
    // kDeleteQueue
    "DELETE FROM sqs_queues WHERE name=?1",
    // kPutMessage
    "INSERT INTO sqs_messages(" SQS_MESSAGE_COLUMNS ")"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)"
    " ON CONFLICT(sequence) DO UPDATE SET queue=?1, message_id=?2, body=?4, message_attributes=?5,"
    " message_system_attributes=?6, sent_timestamp_ms=?7, enqueued_at_us=?8,"
    " first_receive_timestamp_ms=?9, receive_count=?10, visible_at_us=?11, receipt_handle=?12,"
    " message_group_id=?13, message_deduplication_id=?14, sequence_number=?15,"
    " dead_letter_queue_source_arn=?16, received_at_us=?17",
    // kPutMessageState
    "UPDATE sqs_messages SET receive_count=?2, first_receive_timestamp_ms=?3, visible_at_us=?4,"
    " received_at_us=?5, receipt_handle=?6 WHERE sequence=?1",
    // kDeleteMessage
    "DELETE FROM sqs_messages WHERE sequence=?1",
    // kDeleteQueueMessages
    "DELETE FROM sqs_messages WHERE queue=?1",
    // kPutDedup
    "INSERT INTO sqs_dedup(" SQS_DEDUP_COLUMNS ") VALUES (?1,?2,?3,?4,?5)"
    " ON CONFLICT(queue, key) DO UPDATE SET message_id=?3, sequence_number=?4, expires_at_us=?5",
    // kDeleteDedup
    "DELETE FROM sqs_dedup WHERE queue=?1 AND key=?2",
    // kDeleteQueueDedup
    "DELETE FROM sqs_dedup WHERE queue=?1",
    // kPutMoveTask
    "INSERT INTO sqs_move_tasks(" SQS_MOVE_TASK_COLUMNS ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
    " ON CONFLICT(task_id) DO UPDATE SET status=?7, moved=?8, failure_reason=?10",
};

}  // namespace

void encode_message_attributes(const sqs::MessageAttributes& attributes, std::string& out) {
  out.clear();
  if (attributes.empty()) return;
  out.push_back(static_cast<char>(kTagMessageAttributes));
  put_varint(out, attributes.size());
  for (const auto& [name, value] : attributes) {
    put_str(out, name);
    put_str(out, value.data_type);
    put_str(out, value.string_value);
    put_str(out, value.binary_value);
  }
}

core::Result<sqs::MessageAttributes> decode_message_attributes(std::string_view blob) {
  sqs::MessageAttributes result;
  if (blob.empty()) return result;
  Reader r(blob);
  uint64_t count = 0;
  if (!read_header(r, kTagMessageAttributes, 4, count)) return corrupt("message attribute");
  for (uint64_t i = 0; i < count; ++i) {
    std::string name;
    sqs::AttributeValue value;
    if (!r.str(name) || !r.str(value.data_type) || !r.str(value.string_value) ||
        !r.str(value.binary_value))
      return corrupt("message attribute");
    if (!result.empty() && !(std::prev(result.end())->first < name))
      return corrupt("message attribute");  // out of order or repeated
    result.emplace_hint(result.end(), std::move(name), std::move(value));
  }
  if (!r.done()) return corrupt("message attribute");
  return result;
}

void encode_string_map(const std::map<std::string, std::string>& map, std::string& out) {
  out.clear();
  if (map.empty()) return;
  out.push_back(static_cast<char>(kTagStringMap));
  put_varint(out, map.size());
  for (const auto& [key, value] : map) {
    put_str(out, key);
    put_str(out, value);
  }
}

core::Result<std::map<std::string, std::string>> decode_string_map(std::string_view blob) {
  std::map<std::string, std::string> result;
  if (blob.empty()) return result;
  Reader r(blob);
  uint64_t count = 0;
  if (!read_header(r, kTagStringMap, 2, count)) return corrupt("string map");
  for (uint64_t i = 0; i < count; ++i) {
    std::string key;
    std::string value;
    if (!r.str(key) || !r.str(value)) return corrupt("string map");
    if (!result.empty() && !(std::prev(result.end())->first < key))
      return corrupt("string map");  // out of order or repeated
    result.emplace_hint(result.end(), std::move(key), std::move(value));
  }
  if (!r.done()) return corrupt("string map");
  return result;
}

// ---- SqliteSqsPersistence ----

SqliteSqsPersistence::SqliteSqsPersistence(Store& store) : store_(store) {
  static_assert(sizeof(kSql) / sizeof(kSql[0]) == kStmtCount);
  for (int i = 0; i < kStmtCount; ++i) {
    if (sqlite3_prepare_v3(store_.handle(), kSql[i], -1, SQLITE_PREPARE_PERSISTENT, &stmts_[i],
                           nullptr) != SQLITE_OK) {
      prepare_error_ = std::string("sqs store: cannot prepare \"") + kSql[i] +
                       "\": " + sqlite3_errmsg(store_.handle());
      platform::log_error(prepare_error_);
      break;
    }
  }
}

SqliteSqsPersistence::~SqliteSqsPersistence() {
  for (sqlite3_stmt* s : stmts_) sqlite3_finalize(s);  // a no-op on null
}

core::Status SqliteSqsPersistence::ready() const {
  if (prepare_error_.empty()) return core::Ok{};
  return core::make_error(core::ErrorCode::kInternal, prepare_error_);
}

void SqliteSqsPersistence::fail(const std::string& what, int rc) {
  std::string reason = "sqs store: " + what + ": " + sqlite3_errstr(rc);
  if (rc != SQLITE_OK && sqlite3_errcode(store_.handle()) == rc)
    reason += std::string(" (") + sqlite3_errmsg(store_.handle()) + ")";
  platform::log_error(reason);
  store_.fail_transaction(std::move(reason));
}

void SqliteSqsPersistence::run(Stmt s, int bind_rc) {
  static const char* const kWhat[] = {
      "put_queue",           "remove_queue", "put_message", "put_message_state", "remove_message",
      "remove_all_messages", "put_dedup",    "remove_dedup", "remove_all_messages (dedup)",
      "put_move_task",
  };
  static_assert(sizeof(kWhat) / sizeof(kWhat[0]) == kStmtCount);
  sqlite3_stmt* stmt = stmts_[s];
  if (stmt == nullptr) {
    platform::log_error(std::string("sqs store: ") + kWhat[s] + ": not prepared");
    store_.fail_transaction(prepare_error_);
    return;
  }
  if (bind_rc != SQLITE_OK) {
    fail(std::string(kWhat[s]) + ": bind", bind_rc);
  } else if (const int rc = sqlite3_step(stmt); rc != SQLITE_DONE) {
    fail(kWhat[s], rc);
  }
  sqlite3_reset(stmt);
  // Drop the SQLITE_STATIC pointers into the caller's strings now that the call is over.
  sqlite3_clear_bindings(stmt);
}

void SqliteSqsPersistence::store_queue(const sqs::QueueRecord& q) {
  sqlite3_stmt* s = stmts_[kPutQueue];
  int rc = SQLITE_OK;
  if (s) {
    encode_string_map(q.attributes, buf_a_);
    encode_string_map(q.tags, buf_b_);
    rc = Binder(s)
             .text(1, q.name)
             .i64(2, q.created_timestamp_s)
             .i64(3, q.last_modified_timestamp_s)
             .blob(4, buf_a_)
             .blob(5, buf_b_)
             .i64(6, q.deduplication_by_message_group ? 1 : 0)
             .rc();
  }
  run(kPutQueue, rc);
}

void SqliteSqsPersistence::delete_queue(const std::string& name) {
  for (Stmt st : {kDeleteQueueMessages, kDeleteQueueDedup, kDeleteQueue})
    run(st, stmts_[st] ? Binder(stmts_[st]).text(1, name).rc() : SQLITE_OK);
}

void SqliteSqsPersistence::store_message(const sqs::MessageRecord& m) {
  sqlite3_stmt* s = stmts_[kPutMessage];
  int rc = SQLITE_OK;
  if (s) {
    encode_message_attributes(m.message_attributes, buf_a_);
    encode_message_attributes(m.message_system_attributes, buf_b_);
    rc = Binder(s)
             .text(1, m.queue)
             .text(2, m.message_id)
             .i64(3, static_cast<int64_t>(m.sequence))
             .blob(4, m.body)
             .blob(5, buf_a_)
             .blob(6, buf_b_)
             .i64(7, m.sent_timestamp_ms)
             .i64(8, m.enqueued_at_us)
             .i64(9, m.first_receive_timestamp_ms)
             .i64(10, m.receive_count)
             .i64(11, m.visible_at_us)
             .text(12, m.receipt_handle)
             .optional_text(13, m.message_group_id)
             .optional_text(14, m.message_deduplication_id)
             .text(15, m.sequence_number)
             .text(16, m.dead_letter_queue_source_arn)
             .i64(17, m.received_at_us)
             .rc();
  }
  run(kPutMessage, rc);
}

void SqliteSqsPersistence::store_message_state(const sqs::MessageStateRecord& m) {
  sqlite3_stmt* s = stmts_[kPutMessageState];
  int rc = SQLITE_OK;
  if (s) {
    rc = Binder(s)
             .i64(1, static_cast<int64_t>(m.sequence))
             .i64(2, m.receive_count)
             .i64(3, m.first_receive_timestamp_ms)
             .i64(4, m.visible_at_us)
             .i64(5, m.received_at_us)
             .text(6, m.receipt_handle)
             .rc();
  }
  run(kPutMessageState, rc);
}

void SqliteSqsPersistence::delete_message(uint64_t sequence) {
  sqlite3_stmt* s = stmts_[kDeleteMessage];
  run(kDeleteMessage, s ? Binder(s).i64(1, static_cast<int64_t>(sequence)).rc() : SQLITE_OK);
}

void SqliteSqsPersistence::delete_all_messages(const std::string& queue) {
  for (Stmt st : {kDeleteQueueMessages, kDeleteQueueDedup})
    run(st, stmts_[st] ? Binder(stmts_[st]).text(1, queue).rc() : SQLITE_OK);
}

void SqliteSqsPersistence::store_dedup(const sqs::DedupRecord& d) {
  sqlite3_stmt* s = stmts_[kPutDedup];
  int rc = SQLITE_OK;
  if (s) {
    rc = Binder(s)
             .text(1, d.queue)
             .text(2, d.key)
             .text(3, d.message_id)
             .text(4, d.sequence_number)
             .i64(5, d.expires_at_us)
             .rc();
  }
  run(kPutDedup, rc);
}

void SqliteSqsPersistence::store_move_task(const sqs::MoveTaskRecord& t) {
  sqlite3_stmt* s = stmts_[kPutMoveTask];
  int rc = SQLITE_OK;
  if (s != nullptr) {
    Binder b(s);
    b.text(1, t.task_id).text(2, t.task_handle).text(3, t.source_arn).optional_text(4, t.destination_arn);
    if (t.max_number_of_messages_per_second) b.i64(5, *t.max_number_of_messages_per_second);
    else sqlite3_bind_null(s, 5);
    rc = b.i64(6, t.rate).text(7, t.status).i64(8, t.moved).i64(9, t.to_move)
             .text(10, t.failure_reason).i64(11, t.started_timestamp_ms).rc();
  }
  run(kPutMoveTask, rc);
}

void SqliteSqsPersistence::delete_dedup(const std::string& queue, const std::string& key) {
  sqlite3_stmt* s = stmts_[kDeleteDedup];
  run(kDeleteDedup, s ? Binder(s).text(1, queue).text(2, key).rc() : SQLITE_OK);
}

// The Persistence calls: each records a write that owns a copy of its record (store.h).

void SqliteSqsPersistence::put_queue(const sqs::QueueRecord& q) {
  store_.write([this, q] { store_queue(q); });
}

void SqliteSqsPersistence::remove_queue(const std::string& name) {
  store_.write([this, name] { delete_queue(name); });
}

void SqliteSqsPersistence::put_message(sqs::MessageRecord m) {
  store_.write([this, m = std::move(m)] { store_message(m); });
}

void SqliteSqsPersistence::put_message_state(sqs::MessageStateRecord m) {
  store_.write([this, m = std::move(m)] { store_message_state(m); });
}

void SqliteSqsPersistence::remove_message(const std::string& /*queue*/, uint64_t sequence) {
  store_.write([this, sequence] { delete_message(sequence); });
}

void SqliteSqsPersistence::remove_all_messages(const std::string& queue) {
  store_.write([this, queue] { delete_all_messages(queue); });
}

void SqliteSqsPersistence::put_dedup(const sqs::DedupRecord& d) {
  store_.write([this, d] { store_dedup(d); });
}

void SqliteSqsPersistence::remove_dedup(const std::string& queue, const std::string& key) {
  store_.write([this, queue, key] { delete_dedup(queue, key); });
}

void SqliteSqsPersistence::put_move_task(const sqs::MoveTaskRecord& t) {
  store_.write([this, t] { store_move_task(t); });
}

// ---- Loading ----

namespace {

// A prepared statement finalized on every path out of the loader.
class Query {
 public:
  Query(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Query() { sqlite3_finalize(stmt_); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

core::Error load_error(Store& store, const std::string& what) {
  return core::make_error(core::ErrorCode::kInternal,
                          "cannot load sqs state: " + what + ": " + sqlite3_errmsg(store.handle()));
}

core::Error corrupt_row(const std::string& row, const core::Error& e) {
  return core::make_error(core::ErrorCode::kInternal,
                          "cannot load sqs state: " + row + ": " + e.message);
}

}  // namespace

core::Result<sqs::SqsSnapshot> load_sqs_snapshot(Store& store) {
  sqs::SqsSnapshot snap;
  sqlite3* db = store.handle();

  Query queues(db, "SELECT " SQS_QUEUE_COLUMNS " FROM sqs_queues");
  if (!queues.ok()) return load_error(store, "queues");
  int rc;
  while ((rc = sqlite3_step(queues.get())) == SQLITE_ROW) {
    sqlite3_stmt* s = queues.get();
    sqs::QueueRecord q;
    q.name = column_string(s, 0);
    q.created_timestamp_s = sqlite3_column_int64(s, 1);
    q.last_modified_timestamp_s = sqlite3_column_int64(s, 2);
    auto attributes = decode_string_map(column_view(s, 3));
    if (!attributes) return corrupt_row("queue " + q.name + " attributes", attributes.error());
    auto tags = decode_string_map(column_view(s, 4));
    if (!tags) return corrupt_row("queue " + q.name + " tags", tags.error());
    q.attributes = std::move(attributes).value();
    q.tags = std::move(tags).value();
    q.deduplication_by_message_group = sqlite3_column_int(s, 5) != 0;
    snap.queues.push_back(std::move(q));
  }
  if (rc != SQLITE_DONE) return load_error(store, "queues");

  {
    Query count(db, "SELECT COUNT(*) FROM sqs_messages");
    if (!count.ok() || sqlite3_step(count.get()) != SQLITE_ROW)
      return load_error(store, "messages");
    snap.messages.reserve(static_cast<size_t>(sqlite3_column_int64(count.get(), 0)));
  }
  Query messages(db, "SELECT " SQS_MESSAGE_COLUMNS " FROM sqs_messages");
  if (!messages.ok()) return load_error(store, "messages");
  uint64_t max_sequence = 0;
  while ((rc = sqlite3_step(messages.get())) == SQLITE_ROW) {
    sqlite3_stmt* s = messages.get();
    sqs::MessageRecord& m = snap.messages.emplace_back();
    m.queue = column_string(s, 0);
    m.message_id = column_string(s, 1);
    m.sequence = static_cast<uint64_t>(sqlite3_column_int64(s, 2));
    m.body = column_string(s, 3);
    auto attributes = decode_message_attributes(column_view(s, 4));
    if (!attributes)
      return corrupt_row("message " + m.queue + "/" + m.message_id + " attributes",
                         attributes.error());
    m.message_attributes = std::move(attributes).value();
    auto system = decode_message_attributes(column_view(s, 5));
    if (!system)
      return corrupt_row("message " + m.queue + "/" + m.message_id + " system attributes",
                         system.error());
    m.message_system_attributes = std::move(system).value();
    m.sent_timestamp_ms = sqlite3_column_int64(s, 6);
    m.enqueued_at_us = sqlite3_column_int64(s, 7);
    m.first_receive_timestamp_ms = sqlite3_column_int64(s, 8);
    m.receive_count = sqlite3_column_int(s, 9);
    m.visible_at_us = sqlite3_column_int64(s, 10);
    m.received_at_us = sqlite3_column_int64(s, 16);
    m.receipt_handle = column_string(s, 11);
    m.message_group_id = column_optional(s, 12);
    m.message_deduplication_id = column_optional(s, 13);
    m.sequence_number = column_string(s, 14);
    m.dead_letter_queue_source_arn = column_string(s, 15);
    if (m.sequence > max_sequence) max_sequence = m.sequence;
  }
  if (rc != SQLITE_DONE) return load_error(store, "messages");
  snap.next_sequence = max_sequence + 1;

  Query dedup(db, "SELECT " SQS_DEDUP_COLUMNS " FROM sqs_dedup");
  if (!dedup.ok()) return load_error(store, "deduplication entries");
  while ((rc = sqlite3_step(dedup.get())) == SQLITE_ROW) {
    sqlite3_stmt* s = dedup.get();
    sqs::DedupRecord& d = snap.dedup.emplace_back();
    d.queue = column_string(s, 0);
    d.key = column_string(s, 1);
    d.message_id = column_string(s, 2);
    d.sequence_number = column_string(s, 3);
    d.expires_at_us = sqlite3_column_int64(s, 4);
  }
  if (rc != SQLITE_DONE) return load_error(store, "deduplication entries");

  Query tasks(db, "SELECT " SQS_MOVE_TASK_COLUMNS " FROM sqs_move_tasks ORDER BY rowid");
  if (!tasks.ok()) return load_error(store, "message move tasks");
  while ((rc = sqlite3_step(tasks.get())) == SQLITE_ROW) {
    sqlite3_stmt* s = tasks.get();
    sqs::MoveTaskRecord& t = snap.move_tasks.emplace_back();
    t.task_id = column_string(s, 0);
    t.task_handle = column_string(s, 1);
    t.source_arn = column_string(s, 2);
    if (sqlite3_column_type(s, 3) != SQLITE_NULL) t.destination_arn = column_string(s, 3);
    if (sqlite3_column_type(s, 4) != SQLITE_NULL)
      t.max_number_of_messages_per_second = sqlite3_column_int(s, 4);
    t.rate = sqlite3_column_int(s, 5);
    t.status = column_string(s, 6);
    t.moved = sqlite3_column_int64(s, 7);
    t.to_move = sqlite3_column_int64(s, 8);
    t.failure_reason = column_string(s, 9);
    t.started_timestamp_ms = sqlite3_column_int64(s, 10);
  }
  if (rc != SQLITE_DONE) return load_error(store, "message move tasks");
  return snap;
}

}  // namespace slipway::store
