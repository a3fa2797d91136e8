// LockFile: one daemon per data directory. Holds an exclusive flock(2) on <data-dir>/slipway.lock
// for the daemon's life and writes its pid there, so a second daemon is refused with a message
// naming the first. The kernel drops the lock when the process dies, even by kill -9, so a stale
// file never blocks a restart.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"

namespace slipway::app {

class LockFile {
 public:
  // Fails with kAlreadyExists (another live daemon holds it) or kInternal (cannot open).
  static core::Result<std::unique_ptr<LockFile>> acquire(const std::string& path);
  ~LockFile();  // releases the lock
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;

 private:
  explicit LockFile(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace slipway::app
