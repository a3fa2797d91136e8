// The durable queue of accepted Event invocations on a real SQLite database: what was put comes
// back after reopening, in accept order, with its bytes intact; removed events do not; a failed
// write fails the pass's transaction.
#include <doctest/doctest.h>

#include "store/lambda_store.h"
#include "store_helpers.h"

namespace slipway {
namespace {

using store::Durability;
using store::SqliteAsyncQueuePersistence;
using store::Store;
using testing::TempDir;

std::unique_ptr<Store> open_db(const TempDir& dir) {
  auto s = Store::open(dir.db(), Durability::kNormal, store::all_migrations());
  REQUIRE(s.ok());
  return std::move(s).value();
}

lambda::AsyncEventRecord event(uint64_t seq, std::string id, std::string payload) {
  return lambda::AsyncEventRecord{seq, std::move(id), "fn", std::move(payload), "Root=1-abc", static_cast<core::TimeUs>(1'700'000'000'000'000 + seq), 0};
}

TEST_CASE("lambda store: accepted events survive a reopen, in accept order, until removed") {
  TempDir dir;
  {
    auto s = open_db(dir);
    SqliteAsyncQueuePersistence p(*s);
    REQUIRE(p.ready().ok());
    REQUIRE(s->begin().ok());
    p.put_event(event(7, "id-7", std::string("{\"binary\":\"\0\xff\"}", 16)));
    p.put_event(event(3, "id-3", "{}"));
    p.put_event(event(9, "id-9", "{\"gone\":true}"));
    p.remove_event("id-9");
    auto again = event(3, "id-3", "{}");
    again.attempts = 2;
    p.put_event(again);  // an upsert keeps the row and its place
    REQUIRE(s->commit().ok());
  }
  auto s = open_db(dir);
  auto snapshot = store::load_async_snapshot(*s);
  REQUIRE(snapshot.ok());
  const auto& events = snapshot.value().events;
  REQUIRE(events.size() == 2);
  CHECK(events[0].request_id == "id-3");
  CHECK(events[0].attempts == 2);
  CHECK(events[1].request_id == "id-7");
  CHECK(events[1].payload == std::string("{\"binary\":\"\0\xff\"}", 16));
  CHECK(events[1].trace_id == "Root=1-abc");
  CHECK(events[1].accepted_at_us == 1'700'000'000'000'007);
  CHECK(events[1].function == "fn");
}

TEST_CASE("lambda store: a rolled-back pass leaves no event behind") {
  TempDir dir;
  auto s = open_db(dir);
  SqliteAsyncQueuePersistence p(*s);
  REQUIRE(s->begin().ok());
  p.put_event(event(1, "id-1", "{}"));
  s->fail_transaction("refused by test");
  CHECK_FALSE(s->commit().ok());
  CHECK(testing::count_rows(*s, "lambda_async_events") == 0);
}

}  // namespace
}  // namespace slipway
