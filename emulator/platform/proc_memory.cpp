#include "platform/proc_memory.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace slipway::platform {

namespace {

// The "VmRSS:" and "VmHWM:" lines of /proc/<pid>/status, in bytes.
void read_status(pid_t pid, uint64_t& rss, uint64_t& hwm) {
  rss = hwm = 0;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
  FILE* f = std::fopen(path, "re");
  if (!f) return;
  char line[256];
  while (std::fgets(line, sizeof line, f)) {
    unsigned long long kb = 0;
    if (std::sscanf(line, "VmRSS: %llu kB", &kb) == 1) rss = kb * 1024;
    if (std::sscanf(line, "VmHWM: %llu kB", &kb) == 1) hwm = kb * 1024;
  }
  std::fclose(f);
}

void append_children(pid_t pid, std::vector<pid_t>& out) {
  char dir_path[64];
  std::snprintf(dir_path, sizeof dir_path, "/proc/%d/task", static_cast<int>(pid));
  DIR* dir = opendir(dir_path);
  if (!dir) return;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream children(std::string(dir_path) + "/" + e->d_name + "/children");
    long child = 0;
    while (children >> child) {
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
  for (size_t i = 0; i < out.size() && out.size() < 100000; ++i) append_children(out[i], out);
  return out;
}

TreeMemory sample_tree_memory(pid_t root) {
  TreeMemory m;
  bool first = true;
  for (pid_t pid : process_tree(root)) {
    uint64_t rss = 0, hwm = 0;
    read_status(pid, rss, hwm);
    m.rss_bytes += rss;
    if (first) m.peak_hint_bytes = hwm;
    first = false;
  }
  m.peak_hint_bytes = std::max(m.peak_hint_bytes, m.rss_bytes);
  return m;
}

unsigned long long process_start_time(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  std::ifstream in(path);
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t paren = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return 0;
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 22) return std::stoull(field);
  }
  return 0;
}

}  // namespace slipway::platform
