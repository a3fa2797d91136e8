#include "platform/proc_memory.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace slipway::platform {

namespace {

constexpr size_t kMaxTreeProcesses = 100000;

// Reads a small /proc file into `buf` (NUL-terminated); the length, or -1 when it is gone.
ssize_t read_small(const char* path, char* buf, size_t size) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  const ssize_t n = ::read(fd, buf, size - 1);
  ::close(fd);
  if (n < 0) return -1;
  buf[n] = '\0';
  return n;
}

// The "VmRSS:" and "VmHWM:" lines of /proc/<pid>/status, in bytes.
void read_status(pid_t pid, uint64_t& rss, uint64_t& hwm) {
  rss = hwm = 0;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
  char buf[4096];
  if (read_small(path, buf, sizeof buf) <= 0) return;
  if (const char* p = std::strstr(buf, "\nVmHWM:")) hwm = std::strtoull(p + 7, nullptr, 10) * 1024;
  if (const char* p = std::strstr(buf, "\nVmRSS:")) rss = std::strtoull(p + 7, nullptr, 10) * 1024;
}

// Appends the whole of a /proc file (a children list may be long) to `out`; false when gone.
bool read_all(const char* path, std::string& out) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char chunk[4096];
  ssize_t n = 0;
  while ((n = ::read(fd, chunk, sizeof chunk)) > 0) out.append(chunk, static_cast<size_t>(n));
  ::close(fd);
  return true;
}

void append_children(pid_t pid, std::vector<pid_t>& out) {
  char dir_path[64];
  std::snprintf(dir_path, sizeof dir_path, "/proc/%d/task", static_cast<int>(pid));
  DIR* dir = opendir(dir_path);
  if (!dir) return;
  char path[384];  // dir_path, '/', a task id (d_name is at most 255 bytes), "/children"
  std::string children;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    std::snprintf(path, sizeof path, "%s/%s/children", dir_path, e->d_name);
    children.clear();
    if (!read_all(path, children)) continue;
    for (const char* p = children.c_str(); *p;) {
      char* end = nullptr;
      const long child = std::strtol(p, &end, 10);
      if (end == p) break;
      p = end;
      if (std::find(out.begin(), out.end(), static_cast<pid_t>(child)) == out.end()) out.push_back(static_cast<pid_t>(child));
    }
  }
  closedir(dir);
}

}  // namespace

std::vector<pid_t> process_tree(pid_t root) {
  std::vector<pid_t> out;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d", static_cast<int>(root));
  if (access(path, F_OK) != 0) return out;
  out.push_back(root);
  for (size_t i = 0; i < out.size() && out.size() < kMaxTreeProcesses; ++i) append_children(out[i], out);
  return out;
}

TreeMemory sample_tree_memory(pid_t root) {
  TreeMemory m;
  bool first = true;
  for (pid_t pid : process_tree(root)) {
    uint64_t rss = 0, hwm = 0;
    read_status(pid, rss, hwm);
    m.rss_bytes += rss;
    if (first) m.root_peak_bytes = std::max(hwm, rss);
    first = false;
  }
  m.peak_hint_bytes = std::max(m.root_peak_bytes, m.rss_bytes);
  return m;
}

uint64_t tree_rss_bytes(pid_t root) {
  static const uint64_t page_bytes = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  uint64_t pages = 0;
  char path[64];
  char buf[256];
  for (pid_t pid : process_tree(root)) {
    std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
    if (read_small(path, buf, sizeof buf) <= 0) continue;
    char* after_size = nullptr;
    std::strtoull(buf, &after_size, 10);
    pages += std::strtoull(after_size, nullptr, 10);  // the second field: resident pages
  }
  return pages * page_bytes;
}

unsigned long long process_start_time(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  char buf[1024];
  if (read_small(path, buf, sizeof buf) <= 0) return 0;
  const char* paren = std::strrchr(buf, ')');  // the command name may hold spaces and parentheses
  if (paren == nullptr || paren[1] == '\0') return 0;
  const char* p = paren + 2;  // field 3
  for (int field = 3; field < 22 && *p; ++field) {
    p = std::strchr(p, ' ');
    if (p == nullptr) return 0;
    ++p;
  }
  return std::strtoull(p, nullptr, 10);
}

uint64_t process_peak_bytes(pid_t pid) {
  uint64_t rss = 0, hwm = 0;
  read_status(pid, rss, hwm);
  return hwm;
}

}  // namespace slipway::platform
