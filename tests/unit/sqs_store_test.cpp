#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/sqs_store.h"
#include "store/store.h"
#include "store_helpers.h"

namespace fs = std::filesystem;
using slipway::sqs::AttributeValue;
using slipway::sqs::DedupRecord;
using slipway::sqs::MessageAttributes;
using slipway::sqs::MessageRecord;
using slipway::sqs::MessageStateRecord;
using slipway::sqs::MoveTaskRecord;
using slipway::sqs::QueueRecord;
using slipway::sqs::SqsSnapshot;
using slipway::store::Durability;
using slipway::store::SqliteSqsPersistence;
using slipway::store::Store;
namespace store = slipway::store;

using slipway::testing::count_rows;
using slipway::testing::TempDir;

namespace {

std::unique_ptr<Store> open_store(const TempDir& dir) {
  auto opened = Store::open(dir.db(), Durability::kNormal, store::all_migrations());
  REQUIRE(opened.ok());
  return std::move(opened).value();
}

SqsSnapshot load(Store& s) {
  auto snap = store::load_sqs_snapshot(s);
  REQUIRE(snap.ok());
  return std::move(snap).value();
}

const std::string kNulBytes("\x00\x01\xff\x00z", 5);

QueueRecord full_queue(const std::string& name) {
  QueueRecord q;
  q.name = name;
  q.created_timestamp_s = 1'700'000'000;
  q.last_modified_timestamp_s = 1'700'000'123;
  q.attributes = {{"VisibilityTimeout", "30"},
                  {"FifoQueue", "true"},
                  {"RedrivePolicy",
                   R"({"deadLetterTargetArn":"arn:aws:sqs:x","maxReceiveCount":"3"})"}};
  q.tags = {{"team", "ops"}, {"empty", ""}, {"naïve", "ünïcødé"}};
  q.deduplication_by_message_group = true;
  return q;
}

MessageRecord full_message(const std::string& queue, const std::string& id, uint64_t sequence) {
  MessageRecord m;
  m.queue = queue;
  m.message_id = id;
  m.sequence = sequence;
  m.body = "héllo wörld ✓ 🚀\r\nline two\r\n" + std::string("\x00", 1) + "after NUL";
  m.message_attributes = {
      {"bin", AttributeValue{"Binary", "", kNulBytes}},
      {"num", AttributeValue{"Number.float", "3.14", ""}},
      {"str", AttributeValue{"String", "välue\r\n", ""}},
  };
  m.message_system_attributes = {
      {"AWSTraceHeader", AttributeValue{"String", "Root=1-5759e988-bd862e3fe1be46a994272793", ""}}};
  m.sent_timestamp_ms = 1'700'000'000'123;
  m.enqueued_at_us = 1'700'000'000'123'456;
  m.first_receive_timestamp_ms = 1'700'000'001'000;
  m.receive_count = 7;
  m.visible_at_us = 1'700'000'031'000'000;
  m.received_at_us = 1'700'000'001'000'000;
  m.receipt_handle = "rh-abc+/=";
  m.message_group_id = "group-1";
  m.message_deduplication_id = "dedup-1";
  m.sequence_number = "18849496460467696128";
  m.dead_letter_queue_source_arn = "arn:aws:sqs:us-east-1:000000000000:source";
  return m;
}

MessageRecord minimal_message(const std::string& queue, const std::string& id, uint64_t sequence) {
  MessageRecord m;
  m.queue = queue;
  m.message_id = id;
  m.sequence = sequence;
  return m;
}

DedupRecord dedup(const std::string& queue, const std::string& key) {
  return DedupRecord{queue, key, "msg-" + key, "100" + key, 1'700'000'300'000'000};
}

void check_attributes_equal(const MessageAttributes& a, const MessageAttributes& b) {
  REQUIRE(a.size() == b.size());
  for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
    CHECK(ia->first == ib->first);
    CHECK(ia->second.data_type == ib->second.data_type);
    CHECK(ia->second.string_value == ib->second.string_value);
    CHECK(ia->second.binary_value == ib->second.binary_value);
  }
}

void check_message_equal(const MessageRecord& a, const MessageRecord& b) {
  CHECK(a.queue == b.queue);
  CHECK(a.message_id == b.message_id);
  CHECK(a.sequence == b.sequence);
  CHECK(a.body == b.body);
  check_attributes_equal(a.message_attributes, b.message_attributes);
  check_attributes_equal(a.message_system_attributes, b.message_system_attributes);
  CHECK(a.sent_timestamp_ms == b.sent_timestamp_ms);
  CHECK(a.enqueued_at_us == b.enqueued_at_us);
  CHECK(a.first_receive_timestamp_ms == b.first_receive_timestamp_ms);
  CHECK(a.receive_count == b.receive_count);
  CHECK(a.visible_at_us == b.visible_at_us);
  CHECK(a.received_at_us == b.received_at_us);
  CHECK(a.receipt_handle == b.receipt_handle);
  CHECK(a.message_group_id == b.message_group_id);
  CHECK(a.message_deduplication_id == b.message_deduplication_id);
  CHECK(a.sequence_number == b.sequence_number);
  CHECK(a.dead_letter_queue_source_arn == b.dead_letter_queue_source_arn);
}

const MessageRecord* find_message(const SqsSnapshot& snap, const std::string& id) {
  for (const MessageRecord& m : snap.messages)
    if (m.message_id == id) return &m;
  return nullptr;
}

// Commits, requiring success.
void commit(Store& s) { REQUIRE(s.commit().ok()); }

}  // namespace

// ---- Encoding ----

TEST_CASE("sqs store: attribute and string map encodings round-trip, binary-safe") {
  MessageAttributes attrs = full_message("q", "m", 1).message_attributes;
  attrs[std::string("n\x00ul", 4)] = AttributeValue{"Binary.x", std::string(300, '\0'), kNulBytes};
  std::string blob;
  store::encode_message_attributes(attrs, blob);
  auto back = store::decode_message_attributes(blob);
  REQUIRE(back.ok());
  check_attributes_equal(back.value(), attrs);

  store::encode_message_attributes({}, blob);
  CHECK(blob.empty());
  auto empty = store::decode_message_attributes(blob);
  REQUIRE(empty.ok());
  CHECK(empty.value().empty());

  std::map<std::string, std::string> map = full_queue("q").tags;
  map[std::string("\x00", 1)] = std::string(200, '\xff');
  store::encode_string_map(map, blob);
  auto map_back = store::decode_string_map(blob);
  REQUIRE(map_back.ok());
  CHECK(map_back.value() == map);
}

TEST_CASE("sqs store: the decoders reject corrupt blobs without overrunning") {
  std::string attrs_blob;
  store::encode_message_attributes(full_message("q", "m", 1).message_attributes, attrs_blob);
  std::string map_blob;
  store::encode_string_map(full_queue("q").attributes, map_blob);

  SUBCASE("every truncation") {
    for (size_t n = 1; n < attrs_blob.size(); ++n)
      CHECK_FALSE(store::decode_message_attributes(attrs_blob.substr(0, n)).ok());
    for (size_t n = 1; n < map_blob.size(); ++n)
      CHECK_FALSE(store::decode_string_map(map_blob.substr(0, n)).ok());
  }
  SUBCASE("trailing bytes") {
    CHECK_FALSE(store::decode_message_attributes(attrs_blob + "x").ok());
    CHECK_FALSE(store::decode_string_map(map_blob + std::string(1, '\0')).ok());
  }
  SUBCASE("the other kind of blob, or an unknown tag") {
    CHECK_FALSE(store::decode_message_attributes(map_blob).ok());
    CHECK_FALSE(store::decode_string_map(attrs_blob).ok());
    std::string bad = map_blob;
    bad[0] = '\x7f';
    CHECK_FALSE(store::decode_string_map(bad).ok());
  }
  SUBCASE("a count or a length the blob cannot hold") {
    CHECK_FALSE(store::decode_string_map(std::string("\x02\xff\xff\xff\xff\x0f", 6)).ok());
    CHECK_FALSE(store::decode_string_map(std::string("\x02\x01\x7f" "ab\x00", 6)).ok());
    // Length varints longer than 10 bytes, or overflowing 64 bits.
    const std::string head("\x02\x01", 2);
    CHECK_FALSE(store::decode_string_map(head + std::string(10, '\x80') + "\x01" + "abcdef").ok());
    CHECK_FALSE(store::decode_string_map(head + std::string(9, '\xff') + "\x02" + "abcdef").ok());
  }
  SUBCASE("names out of order or repeated") {
    CHECK_FALSE(store::decode_string_map(std::string("\x02\x02\x01" "b\x00\x01" "a\x00", 8)).ok());
    CHECK_FALSE(store::decode_string_map(std::string("\x02\x02\x01" "a\x00\x01" "a\x00", 8)).ok());
    CHECK(store::decode_string_map(std::string("\x02\x02\x01" "a\x00\x01" "b\x00", 8)).ok());
  }
  SUBCASE("pseudo-random bytes never crash") {
    uint64_t x = 0x9e3779b97f4a7c15ULL;  // fixed seed: the same bytes every run
    for (int round = 0; round < 2000; ++round) {
      std::string junk;
      const size_t len = (x >> 60) + 1;
      for (size_t i = 0; i < len; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        junk.push_back(static_cast<char>(x));
      }
      junk[0] = static_cast<char>(round % 2 ? 0x01 : 0x02);  // get past the tag check
      (void)store::decode_message_attributes(junk);
      (void)store::decode_string_map(junk);
    }
  }
}

// ---- Round trips ----

TEST_CASE("sqs store: an empty database loads as an empty snapshot") {
  TempDir dir;
  auto s = open_store(dir);
  SqsSnapshot snap = load(*s);
  CHECK(snap.queues.empty());
  CHECK(snap.messages.empty());
  CHECK(snap.dedup.empty());
  CHECK(snap.next_sequence == 1);
}

TEST_CASE("sqs store: every field of every record round-trips") {
  TempDir dir;
  auto s = open_store(dir);
  SqliteSqsPersistence p(*s);
  REQUIRE(p.ready().ok());

  const QueueRecord queue = full_queue("orders.fifo");
  QueueRecord bare;
  bare.name = "bare";
  const MessageRecord full = full_message("orders.fifo", "m-full", 41);
  const MessageRecord minimal = minimal_message("bare", "m-min", 7);
  MessageRecord empty_strings = minimal_message("bare", "m-empty-ids", 3);
  empty_strings.message_group_id = "";  // present but empty is not absent
  empty_strings.message_deduplication_id = "";
  const DedupRecord entry = dedup("orders.fifo", "group-1:dedup-1");

  REQUIRE(s->begin().ok());
  p.put_queue(queue);
  p.put_queue(bare);
  p.put_message(full);
  p.put_message(minimal);
  p.put_message(empty_strings);
  p.put_dedup(entry);
  commit(*s);

  SqsSnapshot snap = load(*s);
  REQUIRE(snap.queues.size() == 2);
  for (const QueueRecord& q : snap.queues) {
    const QueueRecord& want = q.name == bare.name ? bare : queue;
    CHECK(q.name == want.name);
    CHECK(q.created_timestamp_s == want.created_timestamp_s);
    CHECK(q.last_modified_timestamp_s == want.last_modified_timestamp_s);
    CHECK(q.attributes == want.attributes);
    CHECK(q.tags == want.tags);
    CHECK(q.deduplication_by_message_group == want.deduplication_by_message_group);
  }
  REQUIRE(snap.messages.size() == 3);
  REQUIRE(find_message(snap, "m-full"));
  check_message_equal(*find_message(snap, "m-full"), full);
  REQUIRE(find_message(snap, "m-min"));
  check_message_equal(*find_message(snap, "m-min"), minimal);
  CHECK_FALSE(find_message(snap, "m-min")->message_group_id.has_value());
  CHECK_FALSE(find_message(snap, "m-min")->message_deduplication_id.has_value());
  REQUIRE(find_message(snap, "m-empty-ids"));
  check_message_equal(*find_message(snap, "m-empty-ids"), empty_strings);
  CHECK(find_message(snap, "m-empty-ids")->message_group_id == std::optional<std::string>(""));
  REQUIRE(snap.dedup.size() == 1);
  CHECK(snap.dedup[0].queue == entry.queue);
  CHECK(snap.dedup[0].key == entry.key);
  CHECK(snap.dedup[0].message_id == entry.message_id);
  CHECK(snap.dedup[0].sequence_number == entry.sequence_number);
  CHECK(snap.dedup[0].expires_at_us == entry.expires_at_us);
  CHECK(snap.next_sequence == 42);
}

TEST_CASE("sqs store: put_message_state changes the delivery state and nothing else") {
  TempDir dir;
  auto s = open_store(dir);
  SqliteSqsPersistence p(*s);
  REQUIRE(s->begin().ok());
  p.put_queue(full_queue("q"));
  p.put_message(full_message("q", "m", 5));
  p.put_message(full_message("q", "other", 6));
  commit(*s);

  MessageStateRecord state;
  state.sequence = 5;
  state.receive_count = 3;
  state.first_receive_timestamp_ms = 1700000000123;
  state.visible_at_us = 42'000'000;
  state.received_at_us = 12'000'000;
  state.receipt_handle = "rh-new";
  REQUIRE(s->begin().ok());
  p.put_message_state(state);
  commit(*s);

  MessageRecord expected = full_message("q", "m", 5);
  expected.receive_count = 3;
  expected.first_receive_timestamp_ms = 1700000000123;
  expected.visible_at_us = 42'000'000;
  expected.received_at_us = 12'000'000;
  expected.receipt_handle = "rh-new";
  SqsSnapshot snap = load(*s);
  REQUIRE(snap.messages.size() == 2);
  std::sort(snap.messages.begin(), snap.messages.end(),
            [](const MessageRecord& a, const MessageRecord& b) { return a.sequence < b.sequence; });
  check_message_equal(snap.messages[0], expected);
  check_message_equal(snap.messages[1], full_message("q", "other", 6));
}

TEST_CASE("sqs store: puts are upserts that replace the whole record") {
  TempDir dir;
  auto s = open_store(dir);
  SqliteSqsPersistence p(*s);
  REQUIRE(s->begin().ok());
  p.put_queue(full_queue("q"));
  p.put_message(full_message("q", "m", 5));
  p.put_dedup(dedup("q", "k"));
  commit(*s);

  QueueRecord q2;
  q2.name = "q";
  q2.created_timestamp_s = 1;
  q2.last_modified_timestamp_s = 2;
  q2.attributes = {{"DelaySeconds", "5"}};
  MessageRecord m2 = minimal_message("q", "m", 5);  // received: the optionals go away too
  m2.body = "new";
  m2.receive_count = 1;
  m2.receipt_handle = "rh2";
  DedupRecord d2{"q", "k", "other", "9", 5};
  REQUIRE(s->begin().ok());
  p.put_queue(q2);
  p.put_message(m2);
  p.put_dedup(d2);
  commit(*s);

  CHECK(count_rows(*s, "sqs_queues") == 1);
  CHECK(count_rows(*s, "sqs_messages") == 1);
  CHECK(count_rows(*s, "sqs_dedup") == 1);
  SqsSnapshot snap = load(*s);
  CHECK(snap.queues[0].created_timestamp_s == 1);
  CHECK(snap.queues[0].last_modified_timestamp_s == 2);
  CHECK(snap.queues[0].attributes == q2.attributes);
  CHECK(snap.queues[0].tags.empty());
  check_message_equal(snap.messages[0], m2);
  CHECK(snap.dedup[0].message_id == "other");
  CHECK(snap.dedup[0].sequence_number == "9");
  CHECK(snap.dedup[0].expires_at_us == 5);
  CHECK(snap.next_sequence == 6);
}

TEST_CASE("sqs store: removals, purge and remove_queue touch only their rows") {
  TempDir dir;
  auto s = open_store(dir);
  SqliteSqsPersistence p(*s);
  REQUIRE(s->begin().ok());
  for (const char* q : {"a", "b"}) {
    p.put_queue(full_queue(q));
    // Sequences are service-wide unique: a's are 1..3, b's 11..13.
    const uint64_t base = q[0] == 'a' ? 1 : 11;
    for (int i = 0; i < 3; ++i) p.put_message(minimal_message(q, "m" + std::to_string(i), base + i));
    p.put_dedup(dedup(q, "k1"));
    p.put_dedup(dedup(q, "k2"));
  }
  commit(*s);
  REQUIRE(count_rows(*s, "sqs_messages") == 6);

  SUBCASE("remove_message and remove_dedup remove one row; a missing one is no error") {
    REQUIRE(s->begin().ok());
    p.remove_message("a", 2);    // a's m1
    p.remove_message("a", 999);  // no such message
    p.remove_dedup("b", "k2");
    p.remove_dedup("b", "nope");
    commit(*s);
    SqsSnapshot snap = load(*s);
    CHECK(snap.messages.size() == 5);
    CHECK(find_message(snap, "m1")->queue == "b");
    CHECK(snap.dedup.size() == 3);
  }
  SUBCASE("purge removes the queue's messages and dedup entries, not the queue") {
    REQUIRE(s->begin().ok());
    p.remove_all_messages("a");
    commit(*s);
    SqsSnapshot snap = load(*s);
    CHECK(snap.queues.size() == 2);
    CHECK(snap.messages.size() == 3);
    for (const MessageRecord& m : snap.messages) CHECK(m.queue == "b");
    CHECK(snap.dedup.size() == 2);
    for (const DedupRecord& d : snap.dedup) CHECK(d.queue == "b");
  }
  SUBCASE("remove_queue cascades to messages and dedup entries") {
    REQUIRE(s->begin().ok());
    p.remove_queue("b");
    commit(*s);
    SqsSnapshot snap = load(*s);
    REQUIRE(snap.queues.size() == 1);
    CHECK(snap.queues[0].name == "a");
    CHECK(snap.messages.size() == 3);
    for (const MessageRecord& m : snap.messages) CHECK(m.queue == "a");
    CHECK(snap.dedup.size() == 2);
    for (const DedupRecord& d : snap.dedup) CHECK(d.queue == "a");
  }
}

TEST_CASE("sqs store: reopening keeps what was committed and loses what was not") {
  TempDir dir;
  {
    auto s = open_store(dir);
    SqliteSqsPersistence p(*s);
    REQUIRE(s->begin().ok());
    p.put_queue(full_queue("q"));
    p.put_message(full_message("q", "kept", 1));
    commit(*s);
    REQUIRE(s->begin().ok());
    p.put_message(full_message("q", "rolled-back", 2));
    s->rollback();
    REQUIRE(s->begin().ok());
    p.put_message(full_message("q", "never-committed", 3));
    p.remove_message("q", 1);  // "kept"
    // Closed with the transaction open: the store rolls it back.
  }
  auto s = open_store(dir);
  SqsSnapshot snap = load(*s);
  REQUIRE(snap.queues.size() == 1);
  REQUIRE(snap.messages.size() == 1);
  check_message_equal(snap.messages[0], full_message("q", "kept", 1));
  CHECK(snap.next_sequence == 2);
}

TEST_CASE("sqs store: a corrupt blob makes the load fail with an error naming the row") {
  TempDir dir;
  auto s = open_store(dir);
  SqliteSqsPersistence p(*s);
  REQUIRE(s->begin().ok());
  p.put_queue(full_queue("q"));
  p.put_message(full_message("q", "m", 1));
  commit(*s);

  SUBCASE("message attributes") {
    REQUIRE(s->exec("UPDATE sqs_messages SET message_attributes = x'0105ff'").ok());
    auto snap = store::load_sqs_snapshot(*s);
    REQUIRE_FALSE(snap.ok());
    CHECK(snap.error().message.find("message q/m attributes") != std::string::npos);
    CHECK(snap.error().message.find("corrupt") != std::string::npos);
  }
  SUBCASE("message system attributes, truncated") {
    REQUIRE(s->exec("UPDATE sqs_messages SET message_system_attributes ="
                    " substr(message_system_attributes, 1, 10)").ok());
    auto snap = store::load_sqs_snapshot(*s);
    REQUIRE_FALSE(snap.ok());
    CHECK(snap.error().message.find("system attributes") != std::string::npos);
  }
  SUBCASE("queue tags") {
    REQUIRE(s->exec("UPDATE sqs_queues SET tags = x'02'").ok());
    auto snap = store::load_sqs_snapshot(*s);
    REQUIRE_FALSE(snap.ok());
    CHECK(snap.error().message.find("queue q tags") != std::string::npos);
  }
}

// ---- Failures ----

TEST_CASE("sqs store: fail_transaction makes commit roll back and report the reason") {
  TempDir dir;
  auto s = open_store(dir);
  SqliteSqsPersistence p(*s);

  s->fail_transaction("outside a transaction: ignored");
  REQUIRE(s->begin().ok());
  p.put_queue(full_queue("q"));
  s->fail_transaction("disk on fire");
  s->fail_transaction("second reason");
  p.put_message(minimal_message("q", "m", 1));
  auto c = s->commit();
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message.find("disk on fire") != std::string::npos);
  CHECK(c.error().message.find("second reason") == std::string::npos);
  CHECK_FALSE(s->in_transaction());
  CHECK(count_rows(*s, "sqs_queues") == 0);
  CHECK(count_rows(*s, "sqs_messages") == 0);

  // The failure does not leak into the next transaction, nor past a rollback.
  REQUIRE(s->begin().ok());
  s->fail_transaction("rolled back anyway");
  s->rollback();
  REQUIRE(s->begin().ok());
  p.put_queue(full_queue("q"));
  commit(*s);
  CHECK(count_rows(*s, "sqs_queues") == 1);
}

TEST_CASE("sqs store: a SQLite error in a write fails the pass's commit") {
  TempDir dir;
  auto s = open_store(dir);
  SqliteSqsPersistence p(*s);
  REQUIRE(s->exec("CREATE TRIGGER refuse BEFORE INSERT ON sqs_messages"
                  " BEGIN SELECT RAISE(ABORT, 'refused by test'); END").ok());
  REQUIRE(s->begin().ok());
  p.put_queue(full_queue("q"));
  p.put_message(minimal_message("q", "m", 1));
  p.put_dedup(dedup("q", "k"));  // later writes of the pass run, and are rolled back too
  auto c = s->commit();
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message.find("put_message") != std::string::npos);
  CHECK(c.error().message.find("refused by test") != std::string::npos);
  CHECK(count_rows(*s, "sqs_queues") == 0);
  CHECK(count_rows(*s, "sqs_dedup") == 0);

  // The cached statements are still usable once the cause is gone.
  REQUIRE(s->exec("DROP TRIGGER refuse").ok());
  REQUIRE(s->begin().ok());
  p.put_message(minimal_message("q", "m", 1));
  commit(*s);
  CHECK(count_rows(*s, "sqs_messages") == 1);
}

TEST_CASE("sqs store: without the tables, ready() says why and writes fail the transaction") {
  TempDir dir;
  auto opened = Store::open(dir.db(), Durability::kNormal, {store::all_migrations()[0]});
  REQUIRE(opened.ok());
  Store& s = *opened.value();
  SqliteSqsPersistence p(s);
  REQUIRE_FALSE(p.ready().ok());
  CHECK(p.ready().error().message.find("sqs_queues") != std::string::npos);
  REQUIRE(s.begin().ok());
  p.put_message(minimal_message("q", "m", 1));
  CHECK_FALSE(s.commit().ok());
}

TEST_CASE("sqs store: migration 2 applies on top of a version-1 database") {
  TempDir dir;
  {
    auto v1 = Store::open(dir.db(), Durability::kNormal, {store::all_migrations()[0]});
    REQUIRE(v1.ok());
    CHECK(v1.value()->schema_version() == 1);
    REQUIRE(v1.value()->exec("INSERT INTO daemon_runs(started_at_ms, version, pid, seed, manifest)"
                             " VALUES (1, '0.1.0', 42, '7', '')").ok());
  }
  auto s = open_store(dir);
  REQUIRE_FALSE(s->applied_now().empty());
  CHECK(s->applied_now().front() == 2);  // and every later one, in order
  CHECK(s->applied_now().size() == store::all_migrations().size() - 1);
  CHECK(s->schema_version() >= 2);
  CHECK(count_rows(*s, "daemon_runs") == 1);
  SqliteSqsPersistence p(*s);
  REQUIRE(p.ready().ok());
  REQUIRE(s->begin().ok());
  p.put_queue(full_queue("q"));
  commit(*s);
  CHECK(load(*s).queues.size() == 1);
}

TEST_CASE("sqs store: move tasks round-trip, upsert in place and load in start order") {
  TempDir dir;
  auto s = open_store(dir);
  SqliteSqsPersistence p(*s);
  const MoveTaskRecord full{"t1", "aGFuZGxl", "arn:aws:sqs:us-east-1:000000000000:dlq",
                            std::string("arn:aws:sqs:us-east-1:000000000000:dest"), 7, 7,
                            "RUNNING", 3, 10, "", 1'700'000'000'123};
  const MoveTaskRecord bare{"t2", "aDI=", "arn:aws:sqs:us-east-1:000000000000:dlq", std::nullopt,
                            std::nullopt, 500, "FAILED", 0, 4,
                            "AWS.SimpleQueueService.NonExistentQueue", 1'700'000'000'456};
  REQUIRE(s->begin().ok());
  p.put_move_task(full);
  p.put_move_task(bare);
  MoveTaskRecord progressed = full;
  progressed.moved = 10;
  progressed.status = "COMPLETED";
  p.put_move_task(progressed);  // an update keeps the task's place
  commit(*s);
  SqsSnapshot snap = load(*s);
  REQUIRE(snap.move_tasks.size() == 2);
  const MoveTaskRecord& a = snap.move_tasks[0];
  CHECK(a.task_id == "t1");
  CHECK(a.task_handle == "aGFuZGxl");
  CHECK(a.source_arn == full.source_arn);
  CHECK(a.destination_arn == full.destination_arn);
  CHECK(a.max_number_of_messages_per_second == 7);
  CHECK(a.rate == 7);
  CHECK(a.status == "COMPLETED");
  CHECK(a.moved == 10);
  CHECK(a.to_move == 10);
  CHECK(a.failure_reason.empty());
  CHECK(a.started_timestamp_ms == 1'700'000'000'123);
  const MoveTaskRecord& b = snap.move_tasks[1];
  CHECK(b.task_id == "t2");
  CHECK_FALSE(b.destination_arn.has_value());
  CHECK_FALSE(b.max_number_of_messages_per_second.has_value());
  CHECK(b.rate == 500);
  CHECK(b.failure_reason == "AWS.SimpleQueueService.NonExistentQueue");
}
