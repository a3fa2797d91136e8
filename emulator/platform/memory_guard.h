// MemoryGuard: holds each execution environment's whole process tree to its memory limit and
// measures the tree's peak, with a cgroup when the daemon can make one (platform/cgroup.h) and
// by sampling /proc otherwise.
//
// Owns, per environment (a `key`): its cgroup (made in prepare(), removed in release() or, if
// processes are still leaving it, retried until they have), the OOM eventfd watch (cgroup v1),
// the peak seen by sampling; and one uv timer shared by all environments.
//
// Enforcement, by mode:
//   cgroup v2  memory.max, memory.swap.max 0, memory.oom.group 1: the kernel kills the whole
//              cgroup when it cannot stay below the limit. Peak: memory.peak (Linux 5.19+).
//              Not exercised on the machines this was written on (their v2 hierarchy is empty).
//   cgroup v1  memory.limit_in_bytes (and memsw): the kernel's OOM killer kills one process
//              (the largest) when the cgroup cannot stay below the limit; the guard hears the
//              kernel enter its OOM path on an eventfd (cgroup.event_control) and calls
//              on_over_limit, so the environment dies whole, also when the process killed was a
//              child. Without the eventfd, memory.oom_control's oom_kill count is read every
//              kMaxIntervalMs. Peak: memory.max_usage_in_bytes.
//   sampling   every watched tree's resident memory (tree_rss_bytes) is read when it is due;
//              above the limit, on_over_limit runs. A tree with headroom H is due again after
//              H / kAssumedGrowthBytesPerMs, clamped to [kMinIntervalMs, kMaxIntervalMs]: near
//              its limit every 2 ms, so the overshoot is what the tree touches in about 2 ms
//              plus the loop's latency; far from it up to 100 ms apart, so idle environments
//              cost little. One uv timer, armed for the earliest sample due.
// Peak (REPORT's Max Memory Used): with a cgroup, the larger of the cgroup's peak charge and the
// root's VmHWM read by sample() (at each Runtime API call), which adds the library pages another
// cgroup was charged for. Sampling: the larger of the highest tree RSS sum seen and the root's
// VmHWM; a sum over processes counts pages a forked child shares with its parent more than
// once, so a tree of fork()ed workers is overestimated (and may be killed early) in that mode.
//
// Threads: loop thread only. Callbacks (on_over_limit) run from uv callbacks, outside any pass.
// Lifecycle: prepare -> started -> (sample, peak_bytes, kill_all)* -> release, per key; close()
// once at shutdown after every release.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "platform/cgroup.h"

namespace slipway::platform {

class Loop;

class MemoryGuard {
 public:
  static constexpr uint64_t kMinIntervalMs = 2;
  static constexpr uint64_t kMaxIntervalMs = 100;
  // How fast a tree is assumed able to grow: 2 GB/s. One thread faulting in 4 KiB pages does
  // about 1.2 GB/s on this kind of machine; two cores, twice that at most. A tree growing no
  // faster is sampled again before it can pass its limit.
  static constexpr uint64_t kAssumedGrowthBytesPerMs = 2 * 1024 * 1024;

  // Called with what was measured: the tree's RSS (sampling) or the cgroup's peak (cgroup).
  using OnOverLimit = std::function<void(uint64_t measured_bytes)>;

  MemoryGuard(Loop& loop, MemoryCgroups cgroups);
  ~MemoryGuard();  // REQUIRES: close() ran its callback, or nothing was ever started
  MemoryGuard(const MemoryGuard&) = delete;
  MemoryGuard& operator=(const MemoryGuard&) = delete;

  MemoryEnforcement mode() const;
  const MemoryCgroups& cgroups() const { return cgroups_; }

  // Before `key`'s runtime starts: makes its cgroup and returns the argv to spawn instead of
  // `argv` (the __enter-cgroup shim in front of it), or `argv` itself when sampling. A cgroup
  // that cannot be made is logged and the environment is sampled instead. `on_over_limit`
  // runs at most once, when the tree is found above `limit_bytes`: the caller kills it.
  std::vector<std::string> prepare(uint64_t key, uint64_t limit_bytes, std::vector<std::string> argv,
                                   OnOverLimit on_over_limit);
  // The runtime runs as `root`, the leader of its process group.
  void started(uint64_t key, pid_t root);
  // Reads the tree now (its VmRSS and the root's VmHWM) into the peak.
  void sample(uint64_t key);
  // The tree's peak so far, in bytes; at least the limit once the tree was killed for memory.
  uint64_t peak_bytes(uint64_t key);
  // SIGKILLs every process of `key`'s cgroup (those that left the process group too).
  void kill_all(uint64_t key);
  // The environment is over (its runtime exited): forget it and remove its cgroup.
  void release(uint64_t key);
  // Closes the timer; `on_closed` runs when it is closed. Cgroups still busy are retried for
  // a moment, then left for the next daemon to remove.
  void close(std::function<void()> on_closed);

  size_t cgroups_left() const { return busy_.size(); }

  struct Watch;

 private:
  void schedule(Watch& w, uint64_t due_ms);
  void unschedule(Watch& w);
  void arm();
  void tick();
  void check(Watch& w, uint64_t now_ms);
  void over_limit(uint64_t key, uint64_t measured_bytes);
  void watch_oom(Watch& w);

  Loop& loop_;
  MemoryCgroups cgroups_;
  std::map<uint64_t, std::unique_ptr<Watch>> watches_;
  std::set<std::pair<uint64_t, uint64_t>> due_;  // (due time in loop ms, key) of sampled watches
  std::vector<std::string> busy_;  // released cgroups whose processes were still leaving
  struct Timer;
  Timer* timer_ = nullptr;  // made when first needed; freed by its close callback
  bool closed_ = false;
};

}  // namespace slipway::platform
