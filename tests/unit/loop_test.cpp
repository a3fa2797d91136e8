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
  // A write's body: runs where the store runs writes (the writer thread, under a Loop).
  void insert(int v) {
    if (!store->exec("INSERT INTO t VALUES (" + std::to_string(v) + ")").ok())
      store->fail_transaction("insert failed");
  }
  // Reads through a second connection: sees only what was committed.
  int committed_rows() const {
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open((dir / "db").string().c_str(), &other) == SQLITE_OK);
    const int n = slipway::testing::query_int(other, "SELECT COUNT(*) FROM t");
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
    CHECK_FALSE(db.store->in_transaction());  // the loop itself never holds one
    db.store->write([&] { db.insert(1); });
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
    REQUIRE(loop.post([&] { db.store->write([&] { db.insert(2); }); },
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
  // A write that fails (as a full disk would) fails its transaction: the pass's reply fails and
  // its other write is not on disk.
  auto reply = loop.call<int>([&] {
    db.store->write([&] { db.insert(7); });
    db.store->write([&] { db.store->fail_transaction("refused by test"); });
    return 7;
  });
  CHECK_FALSE(reply.has_value());
  CHECK(db.committed_rows() == 0);
  auto next = loop.call<int>([&] {  // the next pass is healthy
    db.store->write([&] { db.insert(8); });
    return 8;
  });
  CHECK(next == 8);
  CHECK(db.committed_rows() == 1);
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
      db.store->write([&] { db.insert(3); });
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

TEST_CASE("loop: the loop runs on while a pass commits, and replies follow pass order") {
  TempDb db;
  RealClock clock;
  Loop loop(clock, db.store.get());
  std::thread loop_thread([&] { loop.run(); });
  std::promise<void> writing, gate, b_applied, c_applied, all_released;
  std::shared_future<void> gate_open = gate.get_future().share();
  std::vector<std::pair<char, int>> released;  // loop thread only: (pass, rows committed then)
  auto record = [&](char pass) {
    return [&, pass](bool committed) {
      CHECK(committed);
      released.emplace_back(pass, db.committed_rows());
      if (released.size() == 3) all_released.set_value();
    };
  };
  // Pass A's write holds the writer until the gate opens.
  REQUIRE(loop.post([&] {
    db.store->write([&] {
      writing.set_value();
      gate_open.wait();
      db.insert(1);
    });
  }, record('A')));
  writing.get_future().wait();
  // Passes B (a read: no writes) and C (a write) run on the loop while A is still committing.
  REQUIRE(loop.post([&] { b_applied.set_value(); }, record('B')));
  b_applied.get_future().wait();
  REQUIRE(loop.post([&] {
    db.store->write([&] { db.insert(2); });
    c_applied.set_value();
  }, record('C')));
  c_applied.get_future().wait();
  gate.set_value();
  all_released.get_future().wait();
  loop.stop();
  loop_thread.join();
  // B's reply waited for A's commit although B wrote nothing; C's came after its own. (C may have
  // committed too by the time the loop hears of A's commit: the writer does not wait for it.)
  REQUIRE(released.size() == 3);
  CHECK(released[0].first == 'A');
  CHECK(released[0].second >= 1);
  CHECK(released[1].first == 'B');
  CHECK(released[1].second >= 1);
  CHECK(released[2] == std::pair<char, int>{'C', 2});
}

TEST_CASE("loop: stopping waits for the passes still committing and releases their replies") {
  TempDb db;
  RealClock clock;
  auto loop = std::make_unique<Loop>(clock, db.store.get());
  std::thread loop_thread([&] { loop->run(); });
  std::promise<void> writing, gate;
  std::shared_future<void> gate_open = gate.get_future().share();
  bool released = false;  // set on the loop thread, read after join
  REQUIRE(loop->post([&] {
    db.store->write([&] {
      writing.set_value();
      gate_open.wait();
      db.insert(1);
    });
  }, [&](bool committed) { released = committed; }));
  writing.get_future().wait();
  loop->stop();
  gate.set_value();
  loop_thread.join();  // run() returned: the pass committed and its reply was released
  CHECK(released);
  CHECK(db.committed_rows() == 1);
}
