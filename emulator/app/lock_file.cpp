#include "app/lock_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace slipway::app {

namespace {

std::string read_holder(int fd) {
  char buf[32] = {};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

core::Result<std::unique_ptr<LockFile>> LockFile::acquire(const std::string& path) {
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return core::make_error(core::ErrorCode::kInternal,
                            "cannot open lock file " + path + ": " + std::strerror(errno));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const std::string holder = read_holder(fd);
    close(fd);
    return core::make_error(core::ErrorCode::kAlreadyExists,
                            "another slipway (pid " + holder + ") is already serving this data "
                            "directory (lock " + path + "). Stop it first, or give this one its "
                            "own --data-dir");
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The lock is what matters; the pid is only for the message above.
  }
  return std::unique_ptr<LockFile>(new LockFile(fd));
}

LockFile::~LockFile() {
  flock(fd_, LOCK_UN);
  close(fd_);
}

}  // namespace slipway::app
