// Resident memory of a process tree, read from /proc (Linux). Used for REPORT's "Max Memory
// Used" and, with a sampling timer, to hold a runtime to its MemorySize when no cgroup can.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

namespace slipway::platform {

// `root` and its descendants (through /proc/<pid>/task/<tid>/children), root first. Empty when
// `root` is gone.
std::vector<pid_t> process_tree(pid_t root);

struct TreeMemory {
  uint64_t rss_bytes = 0;       // resident now, summed over the tree
  uint64_t peak_hint_bytes = 0; // the largest of: rss_bytes, the root's own peak (VmHWM)
};

// One sample of `root`'s tree. Zeros when it is gone.
TreeMemory sample_tree_memory(pid_t root);

// The process's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot), which
// with the pid identifies a process; 0 when it is gone.
unsigned long long process_start_time(pid_t pid);

}  // namespace slipway::platform
