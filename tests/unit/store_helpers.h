// Shared by the tests that open real SQLite databases: a temporary directory removed at the end
// of the test, and a row count read through the store's own connection.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "store/store.h"

namespace slipway::testing {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "slipway-test-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string db() const { return (path / "slipway.db").string(); }
};

// The first column of the first row of `sql`, as an integer.
inline int query_int(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const int n = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

inline int count_rows(store::Store& s, const std::string& table) {
  return query_int(s.handle(), "SELECT COUNT(*) FROM " + table);
}

}  // namespace slipway::testing
