#include <doctest/doctest.h>

#include <sched.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/checkpointer.h"
#include "store/store.h"
#include "store_helpers.h"

namespace fs = std::filesystem;
using slipway::store::Durability;
using slipway::store::Migration;
using slipway::store::Store;

using slipway::testing::count_rows;
using slipway::testing::query_int;
using slipway::testing::TempDir;

namespace {

const std::vector<Migration> kTwo = {
    {1, "things", "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT);"},
    {2, "things get a colour", "ALTER TABLE things ADD COLUMN colour TEXT;"},
};

}  // namespace

TEST_CASE("store: a new database gets every migration, in order") {
  TempDir dir;
  auto opened = Store::open(dir.db(), Durability::kNormal, kTwo);
  REQUIRE(opened.ok());
  Store& s = *opened.value();
  CHECK(s.schema_version() == 2);
  CHECK(s.applied_now() == std::vector<int>{1, 2});
  CHECK(s.exec("INSERT INTO things(name, colour) VALUES ('a', 'red')").ok());
}

TEST_CASE("store: reopening applies only what is new, and keeps the data") {
  TempDir dir;
  {
    auto first = Store::open(dir.db(), Durability::kNormal, {kTwo[0]});
    REQUIRE(first.ok());
    CHECK(first.value()->schema_version() == 1);
    CHECK(first.value()->exec("INSERT INTO things(name) VALUES ('kept')").ok());
  }
  auto second = Store::open(dir.db(), Durability::kNormal, kTwo);
  REQUIRE(second.ok());
  CHECK(second.value()->applied_now() == std::vector<int>{2});
  CHECK(second.value()->schema_version() == 2);
  CHECK(count_rows(*second.value(), "things") == 1);
  auto third = Store::open(dir.db(), Durability::kNormal, kTwo);
  REQUIRE(third.ok());
  CHECK(third.value()->applied_now().empty());
}

TEST_CASE("store: a failing migration rolls back and leaves the version where it was") {
  TempDir dir;
  std::vector<Migration> broken = {kTwo[0], {2, "broken", "ALTER TABLE nowhere ADD COLUMN x;"}};
  auto opened = Store::open(dir.db(), Durability::kNormal, broken);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find("migration 2 (broken) failed") != std::string::npos);
  auto again = Store::open(dir.db(), Durability::kNormal, {kTwo[0]});
  REQUIRE(again.ok());
  CHECK(again.value()->schema_version() == 1);
}

TEST_CASE("store: a database from a newer slipway is refused") {
  TempDir dir;
  REQUIRE(Store::open(dir.db(), Durability::kNormal, kTwo).ok());
  auto older = Store::open(dir.db(), Durability::kNormal, {kTwo[0]});
  REQUIRE_FALSE(older.ok());
  CHECK(older.error().message.find("written by a newer slipway") != std::string::npos);
}

TEST_CASE("store: the shipped migrations apply cleanly and use WAL") {
  TempDir dir;
  auto opened = Store::open(dir.db(), Durability::kFull, slipway::store::all_migrations());
  REQUIRE(opened.ok());
  Store& s = *opened.value();
  CHECK(s.schema_version() == slipway::store::all_migrations().back().version);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(s.handle(), "PRAGMA journal_mode", -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) == "wal");
  sqlite3_finalize(stmt);
}

TEST_CASE("store: the store's connection syncs per commit only under kFull") {
  // kNormal leaves every sync to checkpoints (store.h, Durability): a sync per commit would
  // stall the writer, and every reply waiting for it, behind the checkpoint's syncs.
  TempDir normal_dir;
  auto normal = Store::open(normal_dir.db(), Durability::kNormal, kTwo);
  REQUIRE(normal.ok());
  CHECK(query_int(normal.value()->handle(), "PRAGMA synchronous") == 0);  // OFF
  TempDir full_dir;
  auto full = Store::open(full_dir.db(), Durability::kFull, kTwo);
  REQUIRE(full.ok());
  CHECK(query_int(full.value()->handle(), "PRAGMA synchronous") == 2);  // FULL
}

TEST_CASE("store: closing checkpoints everything into the database and removes the WAL") {
  TempDir dir;
  {
    auto opened = Store::open(dir.db(), Durability::kNormal, kTwo);
    REQUIRE(opened.ok());
    Store& s = *opened.value();
    REQUIRE(s.begin().ok());
    for (int i = 0; i < 100; ++i) REQUIRE(s.exec("INSERT INTO things(name) VALUES ('x')").ok());
    REQUIRE(s.commit().ok());
  }
  CHECK_FALSE(fs::exists(dir.db() + "-wal"));
  auto again = Store::open(dir.db(), Durability::kNormal, kTwo);
  REQUIRE(again.ok());
  CHECK(count_rows(*again.value(), "things") == 100);
}

TEST_CASE("store: a rolled-back transaction leaves nothing, a committed one stays") {
  TempDir dir;
  auto opened = Store::open(dir.db(), Durability::kNormal, kTwo);
  REQUIRE(opened.ok());
  Store& s = *opened.value();
  REQUIRE(s.begin().ok());
  CHECK(s.in_transaction());
  CHECK(s.exec("INSERT INTO things(name) VALUES ('gone')").ok());
  s.rollback();
  CHECK_FALSE(s.in_transaction());
  CHECK(count_rows(s, "things") == 0);
  REQUIRE(s.begin().ok());
  CHECK_FALSE(s.begin().ok());  // no nesting
  CHECK(s.exec("INSERT INTO things(name) VALUES ('stays')").ok());
  REQUIRE(s.commit().ok());
  CHECK(count_rows(s, "things") == 1);
  CHECK_FALSE(s.commit().ok());  // nothing open
}

namespace {

// A writer connection as the store opens its own: WAL, no syncs, no automatic checkpoints; and
// a hook that keeps the WAL's frame count after each commit, as the store's does.
struct TestWriter {
  sqlite3* db = nullptr;
  int wal_frames = 0;
  explicit TestWriter(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    REQUIRE(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA wal_autocheckpoint=0;"
                             "CREATE TABLE t (x BLOB)", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_wal_hook(
        db,
        [](void* self, sqlite3*, const char*, int frames) {
          static_cast<TestWriter*>(self)->wal_frames = frames;
          return SQLITE_OK;
        },
        this);
  }
  ~TestWriter() { sqlite3_close(db); }
  // 3,000-byte rows: a page each, so a few frames per commit.
  bool commit(int times, int rows = 2) {
    std::string sql = "BEGIN;";
    for (int r = 0; r < rows; ++r) sql += "INSERT INTO t VALUES (randomblob(3000));";
    sql += "COMMIT";
    for (int i = 0; i < times; ++i) {
      if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return false;
      }
    }
    return true;
  }
};

// A test writer with a checkpointer beside it, restarting past 64 frames. The checkpointer's
// thread never runs a checkpoint of its own (the interval is an hour): the test calls
// checkpoint_now(), so frame counts are exact.
struct WalRig {
  static constexpr int kRestartFrames = 64;
  TempDir dir;
  TestWriter w{dir.db()};
  std::unique_ptr<slipway::store::Checkpointer> cp = start(dir.db());  // closes before w
  slipway::store::Checkpointer& c = *cp;

  static std::unique_ptr<slipway::store::Checkpointer> start(const std::string& path) {
    auto cp = slipway::store::Checkpointer::start(path, std::chrono::hours(1), kRestartFrames);
    REQUIRE(cp.ok());
    return std::move(cp).value();
  }
};

}  // namespace

TEST_CASE("checkpointer: past the threshold a checkpoint asks the writer to restart the WAL") {
  // The writer restarts the WAL by itself only when it begins at a moment everything is
  // checkpointed; one that commits back to back rarely finds such a moment, so past
  // `restart_frames` the checkpointer asks it for a RESTART between two transactions.
  WalRig rig;
  TestWriter& w = rig.w;
  slipway::store::Checkpointer& c = rig.c;
  REQUIRE(w.commit(5));
  const int few = c.checkpoint_now();
  CHECK(few > 0);
  CHECK(few <= WalRig::kRestartFrames);
  CHECK(w.wal_frames == few);
  CHECK_FALSE(c.restart_due(w.wal_frames));  // below the threshold: not asked
  REQUIRE(w.commit(40));
  CHECK(c.checkpoint_now() > WalRig::kRestartFrames);
  CHECK(c.restart_due(w.wal_frames));
  CHECK(c.restarts() == 0);  // asked, not done: the RESTART is the writer's
  CHECK(c.restart_wal(w.db));
  CHECK(c.restarts() == 1);
  CHECK_FALSE(c.restart_due(w.wal_frames));
  CHECK(query_int(w.db, "PRAGMA synchronous") == 0);  // the writer's setting is back as it was
  REQUIRE(w.commit(1));  // written from the start of the WAL again: only its own frames are there
  CHECK(w.wal_frames < few);
  CHECK(c.checkpoint_now() == w.wal_frames);
  CHECK(query_int(w.db, "SELECT COUNT(*) FROM t") == 2 * (5 + 40 + 1));
}

TEST_CASE("checkpointer: before asking for a restart it passes again until a pass finds few new frames") {
  // The restart copies what the writer appended while the last pass ran, with every transaction
  // held off; so the checkpointer first catches up, for at most kCatchUpPasses more passes. A
  // reader's snapshot stands in for a writer that never pauses: it keeps the writer's last
  // transaction from being copied, so the writer never finds the WAL all copied and starts it over.
  using slipway::store::Checkpointer;
  const int many = Checkpointer::kFewFrames / 2 + 10;  // commits: more than kFewFrames frames
  WalRig rig;
  TestWriter& w = rig.w;
  sqlite3* reader = nullptr;
  REQUIRE(sqlite3_open(rig.dir.db().c_str(), &reader) == SQLITE_OK);
  const auto pin_then_commit_once = [&] {
    sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);  // the last snapshot, if any
    REQUIRE(sqlite3_exec(reader, "BEGIN; SELECT COUNT(*) FROM t", nullptr, nullptr, nullptr) ==
            SQLITE_OK);
    REQUIRE(w.commit(1));
  };
  REQUIRE(w.commit(40));  // past the threshold
  pin_then_commit_once();
  int passes = 0;
  SUBCASE("the writer slows down: the passes end once one finds few new frames") {
    rig.c.checkpoint_now([&] {
      if (++passes > 2) return;  // after the first pass and the next: many frames; then none
      REQUIRE(w.commit(many));
      pin_then_commit_once();
    });
    CHECK(passes == 4);  // the first, two that found many new frames, one that found none
    CHECK(rig.c.restart_due(w.wal_frames));
    int frames = 0, copied = 0;  // left for the restart: the one transaction past the snapshot
    REQUIRE(sqlite3_wal_checkpoint_v2(w.db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied) ==
            SQLITE_OK);
    CHECK(frames - copied > 0);
    CHECK(frames - copied <= Checkpointer::kFewFrames);
  }
  SUBCASE("the writer keeps up: it asks after kCatchUpPasses more passes all the same") {
    rig.c.checkpoint_now([&] {
      ++passes;
      REQUIRE(w.commit(many));
      pin_then_commit_once();
    });
    CHECK(passes == 1 + Checkpointer::kCatchUpPasses);
    CHECK(rig.c.restart_due(w.wal_frames));
  }
  SUBCASE("the writer starts the WAL over by itself meanwhile: no restart is asked for") {
    sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);  // the first pass copies it all
    rig.c.checkpoint_now([&] {
      // The writer finds the WAL all copied, and writes from its start again.
      if (++passes == 1) REQUIRE(w.commit(1));
    });
    CHECK(passes == 2);  // the first pass, then one that found only the writer's few new frames
    CHECK(w.wal_frames < WalRig::kRestartFrames);
    CHECK_FALSE(rig.c.restart_due(w.wal_frames));
  }
  sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(reader);
}

TEST_CASE("checkpointer: the writer restarts a WAL the checkpoints have fallen far behind on") {
  // A checkpointer kept off the CPU (its thread runs at SCHED_IDLE) never asks; past
  // kForceRestartFactor times the threshold the writer restarts the WAL anyway.
  WalRig rig;
  TestWriter& w = rig.w;
  slipway::store::Checkpointer& c = rig.c;
  const int limit = slipway::store::Checkpointer::kForceRestartFactor * WalRig::kRestartFrames;
  while (w.wal_frames <= limit) {
    CHECK_FALSE(c.restart_due(w.wal_frames));
    REQUIRE(w.commit(1));
  }
  CHECK(c.restart_due(w.wal_frames));
  CHECK(c.checkpoints() == 0);
  CHECK(c.restart_wal(w.db));  // copies every frame itself
  REQUIRE(w.commit(1));
  CHECK(w.wal_frames < 10);
  CHECK(c.checkpoint_now() == w.wal_frames);  // the WAL holds the last commit alone
  CHECK(query_int(w.db, "SELECT COUNT(*) FROM t") > limit / 2);
}

TEST_CASE("checkpointer: checkpoints beside a writer that never pauses lose and fail nothing") {
  // The writer commits back to back and restarts the WAL whenever it is due, while this thread
  // checkpoints as fast as it can; a restart that meets a running checkpoint is put off, not
  // failed. How far the WAL grows in between depends on how the threads interleave, so only the
  // outcome is checked here; the tests above check the thresholds.
  WalRig rig;
  TestWriter& w = rig.w;
  slipway::store::Checkpointer& c = rig.c;
  constexpr int kCommits = 300;
  constexpr int kRowsPerCommit = 4;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::thread writer([&] {
    for (int i = 0; i < kCommits; ++i) {
      if (!w.commit(1, kRowsPerCommit)) ++failures;
      if (c.restart_due(w.wal_frames)) c.restart_wal(w.db);
    }
    done = true;
  });
  do {
    c.checkpoint_now();
  } while (!done);
  writer.join();
  CHECK(failures == 0);
  CHECK(c.restarts() > 0);  // 1,200 frames: asked for, or forced past 256
  CHECK(query_int(w.db, "SELECT COUNT(*) FROM t") == kCommits * kRowsPerCommit);
}

TEST_CASE("store: its writer keeps the WAL bounded, restarting it between transactions") {
  // 300 transactions of two 3,000-byte rows write some 900 frames. Past 64 frames the
  // checkpointer asks for a restart, and past 256 the writer restarts the WAL anyway, so the file
  // never holds more than a few hundred frames (4 KiB pages plus a 24-byte header each).
  TempDir dir;
  constexpr int kRestartFrames = 64;
  auto opened = Store::open(dir.db(), Durability::kNormal, kTwo, kRestartFrames);
  REQUIRE(opened.ok());
  Store& s = *opened.value();
  constexpr int kTransactions = 300;
  for (int i = 0; i < kTransactions; ++i) {
    for (int row = 0; row < 2; ++row) {
      s.write([&s] {
        if (!s.exec("INSERT INTO things(name) VALUES (hex(randomblob(1500)))").ok()) s.fail_transaction("insert");
      });
    }
    s.submit();
    s.wait_idle();  // one transaction each
  }
  const auto outcomes = s.take_finished();
  CHECK(outcomes.size() == kTransactions);
  CHECK(std::all_of(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.committed; }));
  CHECK(count_rows(s, "things") == 2 * kTransactions);
  const auto wal_bytes = fs::file_size(dir.db() + "-wal");
  constexpr int kMostFrames = slipway::store::Checkpointer::kForceRestartFactor * kRestartFrames + 8;
  CHECK(wal_bytes <= static_cast<std::uintmax_t>(kMostFrames) * (4096 + 24) + 32);
  CHECK(wal_bytes > 0);
}

TEST_CASE("store: submitted batches commit on the writer thread, in order, each with its outcome") {
  TempDir dir;
  auto opened = Store::open(dir.db(), Durability::kNormal, kTwo);
  REQUIRE(opened.ok());
  Store& s = *opened.value();
  std::atomic<int> wakes{0};
  s.on_finished([&] { ++wakes; });
  const auto caller = std::this_thread::get_id();
  std::thread::id ran_on;
  auto insert = [&s, &ran_on](std::string name) {
    return [&s, &ran_on, name] {
      ran_on = std::this_thread::get_id();
      if (!s.exec("INSERT INTO things(name) VALUES ('" + name + "')").ok()) s.fail_transaction("insert");
    };
  };
  s.write(insert("a"));
  s.write(insert("b"));
  CHECK(s.has_pending());
  CHECK(count_rows(s, "things") == 0);  // recorded, not yet run
  const uint64_t first = s.submit();
  CHECK_FALSE(s.has_pending());
  s.wait_idle();
  s.write(insert("c"));
  s.write([&s] { s.fail_transaction("refused by test"); });
  const uint64_t second = s.submit();
  s.wait_idle();
  s.write(insert("d"));
  const uint64_t third = s.submit();
  s.wait_idle();

  const auto outcomes = s.take_finished();
  REQUIRE(outcomes.size() == 3);
  CHECK(outcomes[0].number == first);
  CHECK(outcomes[0].committed);
  CHECK(outcomes[1].number == second);
  CHECK_FALSE(outcomes[1].committed);  // and "c" with it
  CHECK(outcomes[2].number == third);
  CHECK(outcomes[2].committed);
  CHECK(s.take_finished().empty());
  CHECK(wakes.load() == 3);
  CHECK(ran_on != caller);
  CHECK(count_rows(s, "things") == 3);  // a, b, d
}

TEST_CASE("writer: batches queued while it commits share the next transaction, in order") {
  std::promise<void> started, gate;
  std::shared_future<void> gate_open = gate.get_future().share();
  std::vector<std::vector<uint64_t>> transactions;  // writer thread, read after wait_idle
  std::vector<int> ran;
  slipway::store::Writer writer([&](std::vector<slipway::store::WriteBatch>& batches) {
    std::vector<uint64_t> numbers;
    for (auto& b : batches) {
      numbers.push_back(b.number);
      for (auto& w : b.writes) w();
    }
    transactions.push_back(numbers);
    if (transactions.size() == 1) {
      started.set_value();
      gate_open.wait();
    }
    return transactions.size() != 2;  // the second transaction "fails"
  });
  writer.submit({[&] { ran.push_back(1); }});
  started.get_future().wait();  // batch 1 is committing
  writer.submit({[&] { ran.push_back(2); }, [&] { ran.push_back(3); }});
  writer.submit({[&] { ran.push_back(4); }});
  gate.set_value();
  writer.wait_idle();
  writer.submit({[&] { ran.push_back(5); }});
  writer.wait_idle();
  CHECK(transactions == std::vector<std::vector<uint64_t>>{{1}, {2, 3}, {4}});
  CHECK(ran == std::vector<int>{1, 2, 3, 4, 5});
  const auto outcomes = writer.take_finished();
  REQUIRE(outcomes.size() == 4);
  CHECK(outcomes[0].committed);
  CHECK_FALSE(outcomes[1].committed);  // batches 2 and 3 shared the failed transaction
  CHECK_FALSE(outcomes[2].committed);
  CHECK(outcomes[3].committed);
  CHECK(outcomes[2].number == 3);
}

TEST_CASE("writer: upkeep runs after each transaction, once its outcome is out; wait_idle waits for it") {
  std::atomic<int> wakes{0};
  std::vector<int> wakes_seen_by_upkeep;  // writer thread, read after wait_idle
  slipway::store::Writer writer(
      [](std::vector<slipway::store::WriteBatch>& batches) {
        for (auto& b : batches)
          for (auto& w : b.writes) w();
        return true;
      },
      [&] { wakes_seen_by_upkeep.push_back(wakes.load()); });
  writer.on_finished([&] { ++wakes; });
  int ran = 0;
  writer.submit({[&] { ++ran; }});
  writer.wait_idle();
  CHECK(wakes_seen_by_upkeep == std::vector<int>{1});  // the loop was woken before the upkeep
  writer.submit({[&] { ++ran; }});
  writer.submit({[&] { ++ran; }});
  writer.wait_idle();
  CHECK(ran == 3);
  CHECK(writer.take_finished().size() == 3);
  CHECK(wakes_seen_by_upkeep.size() == static_cast<size_t>(wakes.load()));  // one per transaction
  CHECK(wakes_seen_by_upkeep.back() == wakes.load());
}

TEST_CASE("writer: a batch's spent writes come back with its outcome, to be freed by the taker") {
  slipway::store::Writer writer([](std::vector<slipway::store::WriteBatch>& batches) {
    for (auto& b : batches)
      for (auto& w : b.writes) w();
    return true;
  });
  // A record the write owns, as Persistence's writes own theirs; its deleter notes the thread.
  std::thread::id freed_on;
  std::atomic<bool> ran{false};
  {
    std::shared_ptr<int> record(new int(7), [&freed_on](int* p) {
      freed_on = std::this_thread::get_id();
      delete p;
    });
    writer.submit({[record, &ran] { ran = *record == 7; }});
  }
  writer.wait_idle();
  CHECK(ran.load());
  CHECK(freed_on == std::thread::id());  // not freed on the writer thread
  {
    auto outcomes = writer.take_finished();
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].writes.size() == 1);
  }
  CHECK(freed_on == std::this_thread::get_id());
}

TEST_CASE("checkpointer: its thread runs at SCHED_IDLE, below the loop and the writer") {
  TempDir dir;
  sqlite3* w = nullptr;
  REQUIRE(sqlite3_open(dir.db().c_str(), &w) == SQLITE_OK);
  REQUIRE(sqlite3_exec(w, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr) == SQLITE_OK);
  auto cp = slipway::store::Checkpointer::start(dir.db(), std::chrono::hours(1));
  REQUIRE(cp.ok());
  // The thread names itself and sets its policy as it starts: look for it in /proc.
  auto policy_of_checkpointer = []() -> std::optional<int> {
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
      std::ifstream comm(task.path() / "comm");
      std::string name;
      std::getline(comm, name);
      if (name != "slipway-ckpt") continue;
      std::ifstream stat(task.path() / "stat");
      std::string line;
      std::getline(stat, line);
      std::istringstream fields(line.substr(line.rfind(')') + 2));  // after "pid (comm) "
      std::string field;
      for (int i = 3; i <= 41; ++i) fields >> field;  // field 41 of stat(5): policy
      return std::stoi(field);
    }
    return std::nullopt;
  };
  std::optional<int> policy;
  for (int i = 0; i < 5000 && policy != SCHED_IDLE; ++i) {
    policy = policy_of_checkpointer();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  CHECK(policy == SCHED_IDLE);
  cp.value().reset();
  sqlite3_close(w);
}
