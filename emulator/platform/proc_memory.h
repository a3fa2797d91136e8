// Resident memory of a process tree, read from /proc (Linux). Used for REPORT's "Max Memory
// Used" and, with MemoryGuard's sampling timer, to hold a runtime to its MemorySize when no
// cgroup can. The tree is `root` and every descendant still attached to it (through
// /proc/<pid>/task/<tid>/children); a process whose parent died is re-parented away and leaves
// the tree, which is why a cgroup is preferred. Reads use open/read on small buffers: a sample of
// a one-process runtime costs a few tens of microseconds.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

namespace slipway::platform {

// `root` and its descendants (through /proc/<pid>/task/<tid>/children), root first. Empty when
// `root` is gone.
std::vector<pid_t> process_tree(pid_t root);

struct TreeMemory {
  uint64_t rss_bytes = 0;        // resident now, summed over the tree: pages a forked child
                                 // still shares with its parent count twice
  uint64_t root_peak_bytes = 0;  // the root's own peak (VmHWM), exact for the root alone
  uint64_t peak_hint_bytes = 0;  // the larger of rss_bytes and root_peak_bytes
};

// One sample of `root`'s tree. Zeros when it is gone.
TreeMemory sample_tree_memory(pid_t root);

// Resident bytes of the tree now: the sum of /proc/<pid>/statm's resident pages (what VmRSS
// says, cheaper to read). 0 when `root` is gone.
uint64_t tree_rss_bytes(pid_t root);

// The process's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot), which
// with the pid identifies a process; 0 when it is gone.
unsigned long long process_start_time(pid_t pid);

// The process's own peak resident memory (VmHWM), in bytes; 0 when it is gone. One read.
uint64_t process_peak_bytes(pid_t pid);

}  // namespace slipway::platform
