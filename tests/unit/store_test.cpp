#include <doctest/doctest.h>

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

namespace {
int synchronous_level(Store& s) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(s.handle(), "PRAGMA synchronous", -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const int level = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  return level;
}
}  // namespace

TEST_CASE("store: the loop's connection syncs per commit only under kFull") {
  // kNormal leaves every sync to the checkpointer's connection (store.h, Durability): a sync on
  // the loop's connection would stall the loop behind the checkpoint's.
  TempDir normal_dir;
  auto normal = Store::open(normal_dir.db(), Durability::kNormal, kTwo);
  REQUIRE(normal.ok());
  CHECK(synchronous_level(*normal.value()) == 0);  // OFF
  TempDir full_dir;
  auto full = Store::open(full_dir.db(), Durability::kFull, kTwo);
  REQUIRE(full.ok());
  CHECK(synchronous_level(*full.value()) == 2);  // FULL
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

TEST_CASE("checkpointer: past the threshold a checkpoint restarts the WAL, below it not") {
  // The writer restarts the WAL by itself only when it begins at a moment everything is
  // checkpointed; one that commits back to back rarely finds such a moment, so past
  // `restart_frames` the checkpointer forces a RESTART. Driven from one thread (the interval is
  // long enough never to fire), so the frame counts are exact.
  TempDir dir;
  sqlite3* w = nullptr;
  REQUIRE(sqlite3_open(dir.db().c_str(), &w) == SQLITE_OK);
  REQUIRE(sqlite3_exec(w, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA wal_autocheckpoint=0;"
                          "CREATE TABLE t (x BLOB)", nullptr, nullptr, nullptr) == SQLITE_OK);
  auto cp = slipway::store::Checkpointer::start(dir.db(), std::chrono::hours(1), 64);
  REQUIRE(cp.ok());
  auto commit = [&](int times) {
    for (int i = 0; i < times; ++i) {
      REQUIRE(sqlite3_exec(w, "BEGIN; INSERT INTO t VALUES (randomblob(3000));"
                              "INSERT INTO t VALUES (randomblob(3000)); COMMIT",
                           nullptr, nullptr, nullptr) == SQLITE_OK);
    }
  };
  commit(5);  // 3,000-byte rows: a page each, so a few frames per commit
  const int few = cp.value()->checkpoint_now();
  CHECK(few > 0);
  CHECK(few <= 64);
  CHECK(cp.value()->restarts() == 0);
  commit(40);
  CHECK(cp.value()->checkpoint_now() > 64);
  CHECK(cp.value()->restarts() == 1);
  commit(1);  // written from the start of the WAL again: only its own frames are there
  CHECK(cp.value()->checkpoint_now() < few);
  CHECK(cp.value()->restarts() == 1);
  cp.value().reset();
  sqlite3_close(w);
}

TEST_CASE("checkpointer: checkpoints beside a writer that never pauses lose and fail nothing") {
  // The RESTART holds the writer off for a moment; its commits must wait (busy timeout), not
  // fail. How far the WAL grows in between depends on how the threads interleave, so only the
  // outcome is checked here; the test above checks the threshold.
  TempDir dir;
  sqlite3* w = nullptr;
  REQUIRE(sqlite3_open(dir.db().c_str(), &w) == SQLITE_OK);
  sqlite3_busy_timeout(w, 5000);
  REQUIRE(sqlite3_exec(w, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA wal_autocheckpoint=0;"
                          "CREATE TABLE t (x BLOB)", nullptr, nullptr, nullptr) == SQLITE_OK);
  constexpr int kRestartFrames = 64;
  auto cp = slipway::store::Checkpointer::start(dir.db(), std::chrono::hours(1), kRestartFrames);
  REQUIRE(cp.ok());
  constexpr int kCommits = 300;
  constexpr int kRowsPerCommit = 4;  // 3,000-byte rows: a page each
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::thread writer([&] {
    for (int i = 0; i < kCommits; ++i) {
      const char* sql = "BEGIN; INSERT INTO t VALUES (randomblob(3000)); INSERT INTO t VALUES (randomblob(3000));"
                        "INSERT INTO t VALUES (randomblob(3000)); INSERT INTO t VALUES (randomblob(3000)); COMMIT";
      if (sqlite3_exec(w, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
        ++failures;
        sqlite3_exec(w, "ROLLBACK", nullptr, nullptr, nullptr);
      }
    }
    done = true;
  });
  do {
    cp.value()->checkpoint_now();  // passive, or past 64 frames a RESTART as well
  } while (!done);
  writer.join();
  CHECK(failures == 0);
  sqlite3_stmt* count = nullptr;
  REQUIRE(sqlite3_prepare_v2(w, "SELECT COUNT(*) FROM t", -1, &count, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(count) == SQLITE_ROW);
  CHECK(sqlite3_column_int(count, 0) == kCommits * kRowsPerCommit);
  sqlite3_finalize(count);
  cp.value().reset();
  sqlite3_close(w);
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

TEST_CASE("checkpointer: its thread runs at a lower priority than the loop and the writer") {
  TempDir dir;
  sqlite3* w = nullptr;
  REQUIRE(sqlite3_open(dir.db().c_str(), &w) == SQLITE_OK);
  REQUIRE(sqlite3_exec(w, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr) == SQLITE_OK);
  auto cp = slipway::store::Checkpointer::start(dir.db(), std::chrono::hours(1));
  REQUIRE(cp.ok());
  // The thread names itself and lowers its priority as it starts: look for it in /proc.
  auto nice_of_checkpointer = []() -> std::optional<int> {
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
      for (int i = 3; i <= 19; ++i) fields >> field;  // field 19 of stat(5): nice
      return std::stoi(field);
    }
    return std::nullopt;
  };
  std::optional<int> nice;
  for (int i = 0; i < 5000 && nice != slipway::store::Checkpointer::kNice; ++i) {
    nice = nice_of_checkpointer();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  CHECK(nice == slipway::store::Checkpointer::kNice);
  CHECK(slipway::store::Checkpointer::kNice > 0);
  cp.value().reset();
  sqlite3_close(w);
}
