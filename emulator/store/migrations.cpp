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
  };
  return migrations;
}

}  // namespace slipway::store
