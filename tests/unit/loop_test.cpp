// The loop's contract, on a real libuv loop: posted work runs on the loop thread, replies are
// released only after the pass commits, many posts share one commit, timers fire in order, and
// a stopped loop refuses work instead of hanging. No test sleeps: each waits on a future or the
// loop thread's exit.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "platform/loop.h"
#include "platform/real_clock.h"
#include "store/store.h"
#include "store_helpers.h"

namespace fs = std::filesystem;
using slipway::platform::Loop;
using slipway::platform::RealClock;
using slipway::store::Durability;
using slipway::store::Store;

namespace {

struct TempDb {
  slipway::testing::TempDir tmp;
  fs::path dir = tmp.path;
  std::unique_ptr<Store> store;
  TempDb() {
    auto opened = Store::open((dir / "db").string(), Durability::kNormal,
                              {{1, "t", "CREATE TABLE t (v INTEGER);"}});
    REQUIRE(opened.ok());
    store = std::move(opened).value();
  }
  // Members are destroyed in reverse: the database closes before TempDir removes it.
  // Reads through a second connection: sees only what was committed.
  int committed_rows() const {
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open((dir / "db").string().c_str(), &other) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(other, "SELECT COUNT(*) FROM t", -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    int n = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(other);
    return n;
  }
};

}  // namespace

TEST_CASE("loop: call runs on the loop thread and the reply follows the commit") {
  TempDb db;
  RealClock clock;
  Loop loop(clock, db.store.get());
  std::thread loop_thread([&] { loop.run(); });
  const auto loop_id = std::async(std::launch::async, [&] {
    return *loop.call<std::thread::id>([] { return std::this_thread::get_id(); });
  }).get();
  CHECK(loop_id == loop_thread.get_id());

  auto rows_seen_by_reply = loop.call<int>([&] {
    CHECK(db.store->in_transaction());
    REQUIRE(db.store->exec("INSERT INTO t VALUES (1)").ok());
    return 1;
  });
  REQUIRE(rows_seen_by_reply.has_value());
  CHECK(db.committed_rows() == 1);  // the reply was released after COMMIT
  loop.stop();
  loop_thread.join();
}

TEST_CASE("loop: after_commit sees committed state for every post of a pass") {
  TempDb db;
  RealClock clock;
  Loop loop(clock, db.store.get());
  constexpr int kPosts = 50;
  std::vector<std::promise<int>> seen(kPosts);
  // Posted before run(): all land in the first pass, one transaction.
  for (int i = 0; i < kPosts; ++i) {
    REQUIRE(loop.post([&] { REQUIRE(db.store->exec("INSERT INTO t VALUES (2)").ok()); },
                      [&, i](bool committed) {
                        CHECK(committed);
                        seen[i].set_value(db.committed_rows());
                      }));
  }
  std::thread loop_thread([&] { loop.run(); });
  for (auto& p : seen) CHECK(p.get_future().get() == kPosts);
  loop.stop();
  loop_thread.join();
}

TEST_CASE("loop: timers armed on the loop fire in deadline order") {
  RealClock clock;
  Loop loop(clock, nullptr);
  std::vector<int> order;
  std::promise<void> all_fired;
  std::thread loop_thread([&] { loop.run(); });
  loop.call<bool>([&] {
    const auto now = loop.clock().now_us();
    loop.timers().arm(now + 3000, [&](auto) {
      order.push_back(3);
      all_fired.set_value();
    });
    loop.timers().arm(now + 1000, [&](auto) { order.push_back(1); });
    loop.timers().arm(now + 2000, [&](auto) { order.push_back(2); });
    return true;
  });
  all_fired.get_future().wait();
  loop.stop();
  loop_thread.join();
  CHECK(order == std::vector<int>{1, 2, 3});
}

TEST_CASE("loop: a stopped loop refuses posts and calls instead of hanging") {
  RealClock clock;
  Loop loop(clock, nullptr);
  std::thread loop_thread([&] { loop.run(); });
  loop.stop();
  loop_thread.join();
  CHECK(loop.stopping());
  CHECK_FALSE(loop.post([] {}, [](bool) {}));
  CHECK_FALSE(loop.call<int>([] { return 1; }).has_value());
}

TEST_CASE("loop: a failed commit fails the replies of its pass") {
  TempDb db;
  RealClock clock;
  Loop loop(clock, db.store.get());
  std::thread loop_thread([&] { loop.run(); });
  // Ending the pass's transaction from inside makes the loop's COMMIT fail.
  auto reply = loop.call<int>([&] {
    REQUIRE(db.store->exec("COMMIT").ok());
    return 7;
  });
  CHECK_FALSE(reply.has_value());
  CHECK(loop.call<int>([] { return 8; }) == 8);  // the next pass is healthy
  loop.stop();
  loop_thread.join();
}

TEST_CASE("loop: work deferred inside a pass is released after that pass commits") {
  TempDb db;
  RealClock clock;
  Loop loop(clock, db.store.get());
  std::thread loop_thread([&] { loop.run(); });
  std::promise<int> seen;
  // A timer callback stands in for a parked long poll woken inside a later pass.
  loop.call<bool>([&] {
    loop.timers().arm(loop.clock().now_us(), [&](auto) {
      REQUIRE(db.store->exec("INSERT INTO t VALUES (3)").ok());
      loop.defer([&](bool committed) {
        CHECK(committed);
        seen.set_value(db.committed_rows());
      });
    });
    return true;
  });
  CHECK(seen.get_future().get() == 1);
  loop.stop();
  loop_thread.join();
}
