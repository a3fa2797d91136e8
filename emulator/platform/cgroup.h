// Memory cgroups for execution environments (DESIGN §10): one cgroup per environment, made
// below the daemon's own, holding the environment's whole process tree to its MemorySize.
//
// Owns: nothing long-lived. MemoryCgroups is the probe's verdict (which hierarchy, which parent
// directory, why) plus the file operations on the cgroups it makes; the caller (MemoryGuard)
// remembers which ones exist and removes them.
//
// Choosing (choose_enforcement, pure): SLIPWAY_MEMORY_ENFORCEMENT may force a mode; otherwise
// cgroup v2 when the daemon's own v2 cgroup has the memory controller enabled for its children
// and a child's memory.max is writable, else cgroup v1 when a child of the daemon's own memory
// cgroup can be made and limited, else sampling /proc (MemoryGuard). The reason names what
// failed, so `slipway serve` can say why.
//
// Names: slipway-<daemon pid>-env-<id> (and slipway-<pid>-probe while probing). At probe time,
// every such directory whose daemon pid no longer runs is a leftover of a killed daemon: its
// processes are killed and it is removed. One that names a live pid is left alone (another
// daemon's, or a reused pid: removing a live daemon's cgroup would be worse than a leftover).
//
// Entering: uv_spawn has no hook between fork and exec, so a runtime is started through
// `<daemon binary> __enter-cgroup <dir> -- <argv...>` (enter_cgroup_and_exec): it writes its own
// pid into <dir>/cgroup.procs and execs argv, keeping pid, process group, cwd and environment.
// The runtime is therefore charged from its first allocation.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace slipway::platform {

enum class MemoryEnforcement { kCgroupV2, kCgroupV1, kSampling };

// "cgroup v2", "cgroup v1", "sampling".
const char* enforcement_name(MemoryEnforcement mode);

// ---------------------------------------------------------------------------- pure parts

// The daemon's own cgroups, from /proc/self/cgroup ("4:memory:/a/b", "0::/c"). Paths are as
// the kernel prints them (relative to the hierarchy's root); empty when absent.
struct OwnCgroups {
  std::string v1_memory;
  std::string v2;
  bool has_v1_memory = false;
  bool has_v2 = false;
};
OwnCgroups parse_proc_cgroup(std::string_view text);

// Where the hierarchies are mounted, from /proc/self/mountinfo: the mount point and the root
// of the hierarchy it shows (not "/" inside a cgroup namespace or a bind mount).
struct CgroupMounts {
  std::string v2_mount, v2_root;
  std::string v1_memory_mount, v1_memory_root;
};
CgroupMounts parse_mountinfo(std::string_view text);

// The directory of cgroup `path` under a hierarchy mounted at `mount` showing `root`; empty
// when `path` is not below `root` (the mount does not show our cgroup).
std::string cgroup_dir(std::string_view mount, std::string_view root, std::string_view path);

std::string env_cgroup_name(pid_t daemon, uint64_t env_id);  // slipway-<pid>-env-<id>
std::string probe_cgroup_name(pid_t daemon);                  // slipway-<pid>-probe
// The daemon pid a directory name of ours carries; nullopt for any other name.
std::optional<pid_t> cgroup_owner(std::string_view name);

// What the probe found; an empty *_problem means that hierarchy is usable at *_dir.
struct CgroupProbe {
  std::string requested;  // SLIPWAY_MEMORY_ENFORCEMENT ("" = auto)
  std::string v2_dir, v2_problem;
  std::string v1_dir, v1_problem;
};

struct EnforcementChoice {
  MemoryEnforcement mode = MemoryEnforcement::kSampling;
  std::string dir;     // the parent of the environments' cgroups; empty when sampling
  std::string reason;  // one sentence for the start-up line
};

// The values SLIPWAY_MEMORY_ENFORCEMENT accepts: "" or "auto", "cgroup-v2", "cgroup-v1",
// "sampling". An error names them for any other value.
core::Status check_requested_enforcement(std::string_view requested);
// REQUIRES: check_requested_enforcement(probe.requested) is Ok.
EnforcementChoice choose_enforcement(const CgroupProbe& probe);

// ---------------------------------------------------------------------------- the OS side

class MemoryCgroups {
 public:
  // Reads /proc/self/cgroup and /proc/self/mountinfo, removes what killed daemons left below
  // our cgroups, probes the hierarchies `requested` allows and chooses. Fails only for a bad
  // `requested`.
  static core::Result<MemoryCgroups> probe(std::string_view requested);

  MemoryEnforcement mode() const { return choice_.mode; }
  const std::string& reason() const { return choice_.reason; }
  const std::string& parent_dir() const { return choice_.dir; }
  int stale_removed() const { return stale_removed_; }

  // Makes <parent>/slipway-<our pid>-env-<id> limited to `limit_bytes` (no swap beyond it; on
  // v2 an OOM kills the whole cgroup). Returns its directory.
  // REQUIRES: mode() is a cgroup mode.
  core::Result<std::string> create(uint64_t env_id, uint64_t limit_bytes) const;
  // The highest memory charged to the cgroup so far (v1 memory.max_usage_in_bytes, v2
  // memory.peak); 0 when the kernel does not keep it.
  uint64_t peak_bytes(const std::string& dir) const;
  // How many processes the kernel's OOM killer killed in it.
  uint64_t oom_kills(const std::string& dir) const;
  // v1: an eventfd (non-blocking, close-on-exec) that becomes readable at each OOM in the
  // cgroup; -1 when it cannot be had (v2 needs none: memory.oom.group kills the whole cgroup).
  int oom_eventfd(const std::string& dir) const;
  // SIGKILLs every process in the cgroup, also those that left the runtime's process group.
  void kill_all(const std::string& dir) const;
  // kill_all, then removes the directory. False while processes are still exiting (retry).
  bool remove(const std::string& dir) const;

 private:
  EnforcementChoice choice_;
  int stale_removed_ = 0;
};

// The hidden verb `slipway __enter-cgroup <dir> -- <argv...>`: joins <dir>, then execvp(argv).
// Returns only on failure, after printing why to stderr: the caller exits with 127.
int enter_cgroup_and_exec(const std::vector<std::string>& args);

// The daemon's binary as a child sees it between fork and exec (argv[0] of the shim command).
inline constexpr const char* kSelfExe = "/proc/self/exe";
inline constexpr const char* kEnterCgroupVerb = "__enter-cgroup";

}  // namespace slipway::platform
