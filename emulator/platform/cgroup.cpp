#include "platform/cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <thread>

namespace slipway::platform {

namespace {

constexpr uint64_t kProbeLimitBytes = 128ull * 1024 * 1024;
constexpr int kKillRounds = 64;        // a fork bomb forks between our reads of cgroup.procs
constexpr int kStaleRemoveTries = 50;  // killed processes take a moment to leave the cgroup
constexpr auto kStaleRemovePause = std::chrono::milliseconds(2);

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == sep) {
      out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

bool has_word(std::string_view list, std::string_view word, char sep) {
  for (std::string_view w : split(list, sep))
    if (w == word) return true;
  return false;
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape_octal(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// With read(2), not an ifstream: some cgroup files fail their reads (ENODEV for a controller
// feature the kernel lacks), and libstdc++'s filebuf throws on a failed read.
std::optional<std::string> read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  if (n < 0) return std::nullopt;
  return out;
}

// Writes `text` with one write(2), as the cgroup files want; the error names the file.
core::Status write_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return core::make_error(core::ErrorCode::kInternal, "cannot open " + path + ": " + std::strerror(errno));
  const ssize_t n = ::write(fd, text.data(), text.size());
  const int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size()))
    return core::make_error(core::ErrorCode::kInternal, "cannot write '" + text + "' to " + path + ": " + std::strerror(err));
  return core::Ok{};
}

uint64_t read_number(const std::string& path) {
  auto text = read_file(path);
  if (!text) return 0;
  uint64_t v = 0;
  std::from_chars(text->data(), text->data() + text->size(), v);
  return v;
}

// "<key> <number>" lines (memory.oom_control, memory.events).
uint64_t read_keyed(const std::string& path, std::string_view key) {
  auto text = read_file(path);
  if (!text) return 0;
  for (std::string_view line : split(*text, '\n')) {
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ' ') {
      uint64_t v = 0;
      std::from_chars(line.data() + key.size() + 1, line.data() + line.size(), v);
      return v;
    }
  }
  return 0;
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// Makes a child, limits it as create() would, and removes it: "" when that all works.
std::string try_child(const std::string& dir, const std::string& limit_file) {
  const std::string child = dir + "/" + probe_cgroup_name(::getpid());
  if (::mkdir(child.c_str(), 0755) != 0 && errno != EEXIST) return errno_text("cannot create a cgroup in " + dir);
  auto limited = write_file(child + "/" + limit_file, std::to_string(kProbeLimitBytes));
  ::rmdir(child.c_str());
  return limited ? "" : limited.error().message;
}

std::string probe_v2(const std::string& dir) {
  if (dir.empty()) return "no cgroup2 mount shows our cgroup";
  const std::string controllers = read_file(dir + "/cgroup.controllers").value_or("");
  if (!has_word(std::string_view(controllers).substr(0, controllers.find('\n')), "memory", ' '))
    return "the memory controller is not available in " + dir + " (cgroup.controllers: '" +
           controllers.substr(0, controllers.find('\n')) + "')";
  const std::string subtree = read_file(dir + "/cgroup.subtree_control").value_or("");
  if (!has_word(std::string_view(subtree).substr(0, subtree.find('\n')), "memory", ' '))
    return "memory is not enabled in " + dir + "/cgroup.subtree_control";
  return try_child(dir, "memory.max");
}

std::string probe_v1(const std::string& dir) {
  if (dir.empty()) return "no cgroup v1 memory mount shows our cgroup";
  return try_child(dir, "memory.limit_in_bytes");
}

std::vector<pid_t> cgroup_pids(const std::string& dir) {
  std::vector<pid_t> pids;
  std::istringstream in(read_file(dir + "/cgroup.procs").value_or(""));
  long pid = 0;
  while (in >> pid) pids.push_back(static_cast<pid_t>(pid));
  return pids;
}

void kill_listed(const std::string& dir) {
  std::set<pid_t> killed;
  for (int round = 0; round < kKillRounds; ++round) {
    bool new_pid = false;
    for (pid_t pid : cgroup_pids(dir)) {
      if (pid <= 1) continue;
      ::kill(pid, SIGKILL);
      new_pid |= killed.insert(pid).second;
    }
    if (!new_pid) return;  // only processes already killed (and exiting) remain
  }
}

bool remove_dir(const std::string& dir) {
  kill_listed(dir);
  return ::rmdir(dir.c_str()) == 0 || errno == ENOENT;
}

// Removes the cgroups of ours under `dir` whose daemon no longer runs.
int remove_stale(const std::string& dir) {
  int removed = 0;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  std::vector<std::string> stale;
  while (dirent* e = ::readdir(d)) {
    auto owner = cgroup_owner(e->d_name);
    if (owner && *owner != ::getpid() && ::kill(*owner, 0) != 0 && errno == ESRCH)
      stale.push_back(dir + "/" + e->d_name);
  }
  ::closedir(d);
  for (const std::string& path : stale) {
    for (int i = 0; i < kStaleRemoveTries; ++i) {
      if (remove_dir(path)) {
        ++removed;
        break;
      }
      std::this_thread::sleep_for(kStaleRemovePause);
    }
  }
  return removed;
}

bool is_v1(MemoryEnforcement mode) { return mode == MemoryEnforcement::kCgroupV1; }

}  // namespace

const char* enforcement_name(MemoryEnforcement mode) {
  switch (mode) {
    case MemoryEnforcement::kCgroupV2: return "cgroup v2";
    case MemoryEnforcement::kCgroupV1: return "cgroup v1";
    case MemoryEnforcement::kSampling: return "sampling";
  }
  return "?";
}

OwnCgroups parse_proc_cgroup(std::string_view text) {
  OwnCgroups own;
  for (std::string_view line : split(text, '\n')) {
    const size_t first = line.find(':');
    const size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    const std::string_view id = line.substr(0, first);
    const std::string_view controllers = line.substr(first + 1, second - first - 1);
    const std::string_view path = line.substr(second + 1);
    if (id == "0" && controllers.empty()) {
      own.v2 = std::string(path);
      own.has_v2 = true;
    } else if (has_word(controllers, "memory", ',')) {
      own.v1_memory = std::string(path);
      own.has_v1_memory = true;
    }
  }
  return own;
}

CgroupMounts parse_mountinfo(std::string_view text) {
  CgroupMounts m;
  for (std::string_view line : split(text, '\n')) {
    const std::vector<std::string_view> f = split(line, ' ');
    size_t dash = 6;
    while (dash < f.size() && f[dash] != "-") ++dash;
    if (dash + 1 >= f.size()) continue;  // not a mount line
    const std::string_view fstype = f[dash + 1];
    const std::string_view super_options = dash + 3 < f.size() ? f[dash + 3] : std::string_view();
    if (fstype == "cgroup2" && m.v2_mount.empty()) {
      m.v2_mount = unescape_octal(f[4]);
      m.v2_root = unescape_octal(f[3]);
    } else if (fstype == "cgroup" && has_word(super_options, "memory", ',') && m.v1_memory_mount.empty()) {
      m.v1_memory_mount = unescape_octal(f[4]);
      m.v1_memory_root = unescape_octal(f[3]);
    }
  }
  return m;
}

std::string cgroup_dir(std::string_view mount, std::string_view root, std::string_view path) {
  if (mount.empty() || path.empty() || path[0] != '/') return "";
  std::string_view rest = path;
  if (root != "/") {
    if (path.substr(0, root.size()) != root || (path.size() > root.size() && path[root.size()] != '/')) return "";
    rest = path.substr(root.size());
  }
  std::string dir(mount);
  if (rest != "/") dir += rest;
  return dir;
}

std::string env_cgroup_name(pid_t daemon, uint64_t env_id) {
  return "slipway-" + std::to_string(daemon) + "-env-" + std::to_string(env_id);
}

std::string probe_cgroup_name(pid_t daemon) { return "slipway-" + std::to_string(daemon) + "-probe"; }

std::optional<pid_t> cgroup_owner(std::string_view name) {
  constexpr std::string_view kPrefix = "slipway-";
  if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  name.remove_prefix(kPrefix.size());
  const size_t dash = name.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view pid = name.substr(0, dash);
  const std::string_view rest = name.substr(dash);
  const bool env = rest.substr(0, 5) == "-env-" && all_digits(rest.substr(5));
  if (!all_digits(pid) || pid.size() > 9 || !(env || rest == "-probe")) return std::nullopt;
  int value = 0;
  std::from_chars(pid.data(), pid.data() + pid.size(), value);
  if (value <= 0) return std::nullopt;
  return static_cast<pid_t>(value);
}

core::Status check_requested_enforcement(std::string_view requested) {
  for (std::string_view ok : {"", "auto", "cgroup-v2", "cgroup-v1", "sampling"})
    if (requested == ok) return core::Ok{};
  return core::make_error(core::ErrorCode::kInvalidArgument,
                          "SLIPWAY_MEMORY_ENFORCEMENT must be auto, cgroup-v2, cgroup-v1 or sampling, got '" +
                              std::string(requested) + "'");
}

EnforcementChoice choose_enforcement(const CgroupProbe& p) {
  const bool any = p.requested.empty() || p.requested == "auto";
  if (p.requested == "sampling")
    return {MemoryEnforcement::kSampling, "", "each environment's tree in /proc, as SLIPWAY_MEMORY_ENFORCEMENT=sampling asks"};
  const std::string forced = any ? "" : " (SLIPWAY_MEMORY_ENFORCEMENT=" + p.requested + ")";
  if ((any || p.requested == "cgroup-v2") && !p.v2_dir.empty() && p.v2_problem.empty())
    return {MemoryEnforcement::kCgroupV2, p.v2_dir, "memory.max of one cgroup per environment below " + p.v2_dir + forced};
  if ((any || p.requested == "cgroup-v1") && !p.v1_dir.empty() && p.v1_problem.empty()) {
    const std::string why_not_v2 = any ? "; cgroup v2 is not usable: " + p.v2_problem : forced;
    return {MemoryEnforcement::kCgroupV1, p.v1_dir,
            "memory.limit_in_bytes of one cgroup per environment below " + p.v1_dir + why_not_v2};
  }
  std::string why;
  if (any || p.requested == "cgroup-v2") why += "v2: " + p.v2_problem;
  if (any || p.requested == "cgroup-v1") why += std::string(why.empty() ? "" : "; ") + "v1: " + p.v1_problem;
  return {MemoryEnforcement::kSampling, "", "each environment's tree in /proc, as no memory cgroup is usable (" + why + ")" + forced};
}

core::Result<MemoryCgroups> MemoryCgroups::probe(std::string_view requested) {
  if (auto ok = check_requested_enforcement(requested); !ok) return ok.error();
  const OwnCgroups own = parse_proc_cgroup(read_file("/proc/self/cgroup").value_or(""));
  const CgroupMounts mounts = parse_mountinfo(read_file("/proc/self/mountinfo").value_or(""));
  CgroupProbe p;
  p.requested = std::string(requested);
  if (own.has_v2) p.v2_dir = cgroup_dir(mounts.v2_mount, mounts.v2_root, own.v2);
  if (own.has_v1_memory) p.v1_dir = cgroup_dir(mounts.v1_memory_mount, mounts.v1_memory_root, own.v1_memory);
  MemoryCgroups out;
  for (const std::string& dir : {p.v2_dir, p.v1_dir})
    if (!dir.empty()) out.stale_removed_ += remove_stale(dir);
  const bool any = requested.empty() || requested == "auto";
  if (any || requested == "cgroup-v2") p.v2_problem = probe_v2(p.v2_dir);
  if (any || requested == "cgroup-v1") p.v1_problem = probe_v1(p.v1_dir);
  out.choice_ = choose_enforcement(p);
  return out;
}

core::Result<std::string> MemoryCgroups::create(uint64_t env_id, uint64_t limit_bytes) const {
  const std::string dir = choice_.dir + "/" + env_cgroup_name(::getpid(), env_id);
  if (::mkdir(dir.c_str(), 0755) != 0 && !(errno == EEXIST && remove_dir(dir) && ::mkdir(dir.c_str(), 0755) == 0))
    return core::make_error(core::ErrorCode::kInternal, errno_text("cannot create cgroup " + dir));
  const std::string limit = std::to_string(limit_bytes);
  core::Status limited = write_file(dir + (is_v1(choice_.mode) ? "/memory.limit_in_bytes" : "/memory.max"), limit);
  if (limited && is_v1(choice_.mode) && exists(dir + "/memory.memsw.limit_in_bytes"))
    limited = write_file(dir + "/memory.memsw.limit_in_bytes", limit);  // memory plus swap: no escape to swap
  if (limited && !is_v1(choice_.mode)) {
    if (exists(dir + "/memory.swap.max")) (void)write_file(dir + "/memory.swap.max", "0");
    // An OOM kills the environment, not one process (Linux 4.19 and later).
    if (exists(dir + "/memory.oom.group")) limited = write_file(dir + "/memory.oom.group", "1");
  }
  if (!limited) {
    ::rmdir(dir.c_str());
    return limited.error();
  }
  return dir;
}

uint64_t MemoryCgroups::peak_bytes(const std::string& dir) const {
  return read_number(dir + (is_v1(choice_.mode) ? "/memory.max_usage_in_bytes" : "/memory.peak"));
}

uint64_t MemoryCgroups::oom_kills(const std::string& dir) const {
  return is_v1(choice_.mode) ? read_keyed(dir + "/memory.oom_control", "oom_kill")
                             : read_keyed(dir + "/memory.events", "oom_kill");
}

int MemoryCgroups::oom_eventfd(const std::string& dir) const {
  if (!is_v1(choice_.mode)) return -1;
  const int efd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  const int ofd = ::open((dir + "/memory.oom_control").c_str(), O_RDONLY | O_CLOEXEC);
  bool ok = efd >= 0 && ofd >= 0 &&
            write_file(dir + "/cgroup.event_control", std::to_string(efd) + " " + std::to_string(ofd));
  if (ofd >= 0) ::close(ofd);  // the registration holds what it needs
  if (!ok && efd >= 0) ::close(efd);
  return ok ? efd : -1;
}

void MemoryCgroups::kill_all(const std::string& dir) const {
  if (!is_v1(choice_.mode) && exists(dir + "/cgroup.kill") && write_file(dir + "/cgroup.kill", "1")) return;
  kill_listed(dir);
}

bool MemoryCgroups::remove(const std::string& dir) const {
  if (!is_v1(choice_.mode) && exists(dir + "/cgroup.kill")) (void)write_file(dir + "/cgroup.kill", "1");
  return remove_dir(dir);
}

int enter_cgroup_and_exec(const std::vector<std::string>& args) {
  if (args.size() < 3 || args[1] != "--") {
    std::fprintf(stderr, "slipway: usage: slipway %s <cgroup dir> -- <program> [args...]\n", kEnterCgroupVerb);
    return 127;
  }
  if (auto joined = write_file(args[0] + "/cgroup.procs", std::to_string(::getpid())); !joined) {
    std::fprintf(stderr, "slipway: cannot enter the environment's cgroup: %s\n", joined.error().message.c_str());
    return 127;
  }
  std::vector<char*> argv;
  for (size_t i = 2; i < args.size(); ++i) argv.push_back(const_cast<char*>(args[i].c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  std::fprintf(stderr, "slipway: cannot run %s: %s\n", argv[0], std::strerror(errno));
  return 127;
}

}  // namespace slipway::platform
