#include "platform/memory_guard.h"

#include <filesystem>

#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <cstdint>
#include <chrono>
#include <thread>
#include <utility>

#include "platform/log.h"
#include "platform/loop.h"
#include "platform/proc_memory.h"

namespace slipway::platform {

namespace {

constexpr int kCloseTries = 100;  // at shutdown, how long processes get to leave their cgroups
constexpr auto kClosePause = std::chrono::milliseconds(2);

// A cgroup v1 OOM eventfd on the loop. Freed by its close callback, which closes the fd.
struct OomPoll {
  uv_poll_t poll{};
  int fd = -1;
};

void close_oom_poll(OomPoll* p) {
  uv_poll_stop(&p->poll);
  uv_close(reinterpret_cast<uv_handle_t*>(&p->poll), [](uv_handle_t* h) {
    auto* poll = reinterpret_cast<OomPoll*>(h);
    ::close(poll->fd);
    delete poll;
  });
}

}  // namespace

struct MemoryGuard::Watch {
  uint64_t key = 0;
  uint64_t limit_bytes = 0;
  std::string cgroup;  // empty: this tree is sampled
  pid_t root = 0;      // 0 until started
  uint64_t peak_bytes = 0;
  uint64_t due_ms = 0;
  bool scheduled = false;  // (due_ms, key) is in due_
  bool over_limit = false;
  OnOverLimit on_over_limit;
  OomPoll* oom = nullptr;

  bool needs_tick(MemoryEnforcement mode) const {
    return root != 0 && !over_limit && (cgroup.empty() || (mode == MemoryEnforcement::kCgroupV1 && oom == nullptr));
  }
};

struct MemoryGuard::Timer {
  uv_timer_t handle{};
  MemoryGuard* guard = nullptr;
  std::function<void()> on_closed;
};

namespace {

// slipway-cgexec next to the daemon's binary, or "" when it is not there (then the daemon's own
// __enter-cgroup verb does the same, 4-5 ms slower per cold start).
const std::string& cgexec_path() {
  static const std::string path = [] {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return std::string();
    const std::string shim = (self.parent_path() / "slipway-cgexec").string();
    return ::access(shim.c_str(), X_OK) == 0 ? shim : std::string();
  }();
  return path;
}

}  // namespace

MemoryGuard::MemoryGuard(Loop& loop, MemoryCgroups cgroups) : loop_(loop), cgroups_(std::move(cgroups)) {}

MemoryGuard::~MemoryGuard() = default;

MemoryEnforcement MemoryGuard::mode() const { return cgroups_.mode(); }

std::vector<std::string> MemoryGuard::prepare(uint64_t key, uint64_t limit_bytes, std::vector<std::string> argv,
                                              OnOverLimit on_over_limit) {
  auto w = std::make_unique<Watch>();
  w->key = key;
  w->limit_bytes = limit_bytes;
  w->on_over_limit = std::move(on_over_limit);
  if (mode() != MemoryEnforcement::kSampling) {
    auto dir = cgroups_.create(key, limit_bytes);
    if (dir) {
      w->cgroup = dir.value();
      const std::string& shim = cgexec_path();
      if (shim.empty()) {
        argv.insert(argv.begin(), {kSelfExe, kEnterCgroupVerb, w->cgroup, "--"});
      } else {
        argv.insert(argv.begin(), {shim, w->cgroup, "--"});
      }
    } else {
      log_warn("memory: " + dir.error().message + "; sampling this environment's memory instead");
    }
  }
  watches_[key] = std::move(w);
  return argv;
}

void MemoryGuard::started(uint64_t key, pid_t root) {
  auto it = watches_.find(key);
  if (it == watches_.end()) return;
  Watch& w = *it->second;
  w.root = root;
  if (!w.cgroup.empty()) watch_oom(w);
  if (w.needs_tick(mode())) {
    schedule(w, uv_now(loop_.uv()));  // a first sample at once
    arm();
  }
}

void MemoryGuard::watch_oom(Watch& w) {
  const int fd = cgroups_.oom_eventfd(w.cgroup);
  if (fd < 0) return;  // v2 (the kernel kills the whole cgroup), or no eventfd: the timer looks
  auto* p = new OomPoll;
  p->fd = fd;
  uv_poll_init(loop_.uv(), &p->poll, fd);
  p->poll.data = this;
  w.oom = p;
  uv_poll_start(&p->poll, UV_READABLE, [](uv_poll_t* h, int, int) {
    auto* poll = reinterpret_cast<OomPoll*>(h);
    uint64_t count = 0;
    while (::read(poll->fd, &count, sizeof count) > 0) {}
    auto* guard = static_cast<MemoryGuard*>(h->data);
    // The kernel notifies as it enters its OOM path, before it picks a process to kill (the
    // oom_kill count may still read 0): the cgroup could not stay below its limit.
    for (auto& [k, watch] : guard->watches_) {
      if (watch->oom != poll) continue;
      guard->over_limit(k, guard->cgroups_.peak_bytes(watch->cgroup));
      return;
    }
  });
}

void MemoryGuard::schedule(Watch& w, uint64_t due_ms) {
  unschedule(w);
  w.due_ms = due_ms;
  w.scheduled = true;
  due_.emplace(due_ms, w.key);
}

void MemoryGuard::unschedule(Watch& w) {
  if (w.scheduled) due_.erase({w.due_ms, w.key});
  w.scheduled = false;
}

// One timer for every watch: armed for the earliest sample due (or a retry of a busy cgroup).
void MemoryGuard::arm() {
  if (closed_) return;
  const uint64_t now_ms = uv_now(loop_.uv());
  uint64_t next_ms = due_.empty() ? UINT64_MAX : due_.begin()->first;
  if (!busy_.empty()) next_ms = std::min(next_ms, now_ms + kMaxIntervalMs);
  if (next_ms == UINT64_MAX) {
    if (timer_ != nullptr) uv_timer_stop(&timer_->handle);
    return;
  }
  if (timer_ == nullptr) {
    timer_ = new Timer;
    timer_->guard = this;
    uv_timer_init(loop_.uv(), &timer_->handle);
    timer_->handle.data = timer_;
  }
  uv_timer_start(&timer_->handle, [](uv_timer_t* t) { static_cast<Timer*>(t->data)->guard->tick(); },
                 next_ms > now_ms ? next_ms - now_ms : 0, 0);
}

void MemoryGuard::tick() {
  busy_.erase(std::remove_if(busy_.begin(), busy_.end(), [this](const std::string& d) { return cgroups_.remove(d); }),
              busy_.end());
  const uint64_t now_ms = uv_now(loop_.uv());
  while (!due_.empty() && due_.begin()->first <= now_ms) {
    const uint64_t key = due_.begin()->second;
    due_.erase(due_.begin());
    auto it = watches_.find(key);  // an on_over_limit callback may have released it
    if (it == watches_.end()) continue;
    it->second->scheduled = false;
    check(*it->second, now_ms);
  }
  arm();
}

// A watch that is due: sample it and schedule the next sample, or find it over its limit.
void MemoryGuard::check(Watch& w, uint64_t now_ms) {
  if (!w.needs_tick(mode())) return;
  if (!w.cgroup.empty()) {  // cgroup v1 without an OOM eventfd: look at the OOM count
    if (cgroups_.oom_kills(w.cgroup) > 0) over_limit(w.key, cgroups_.peak_bytes(w.cgroup));
    else schedule(w, now_ms + kMaxIntervalMs);
    return;
  }
  const uint64_t rss = tree_rss_bytes(w.root);
  w.peak_bytes = std::max(w.peak_bytes, rss);
  if (rss > w.limit_bytes) {
    over_limit(w.key, rss);
    return;
  }
  const uint64_t wait_ms = (w.limit_bytes - rss) / kAssumedGrowthBytesPerMs;
  schedule(w, now_ms + std::clamp(wait_ms, kMinIntervalMs, kMaxIntervalMs));
}

void MemoryGuard::over_limit(uint64_t key, uint64_t measured_bytes) {
  auto it = watches_.find(key);
  if (it == watches_.end() || it->second->over_limit) return;
  it->second->over_limit = true;
  if (auto cb = std::exchange(it->second->on_over_limit, nullptr)) cb(measured_bytes);
}

void MemoryGuard::sample(uint64_t key) {
  auto it = watches_.find(key);
  if (it == watches_.end() || it->second->root == 0) return;
  Watch& w = *it->second;
  // With a cgroup, the tree's anonymous memory is in the cgroup's peak, counted once; the root's
  // VmHWM adds what the cgroup was not charged (library pages cached by another cgroup): one
  // read, no walk of the tree. Without one, the RSS sum of the tree is all there is.
  w.peak_bytes = std::max(w.peak_bytes, w.cgroup.empty() ? sample_tree_memory(w.root).peak_hint_bytes
                                                         : process_peak_bytes(w.root));
}

uint64_t MemoryGuard::peak_bytes(uint64_t key) {
  auto it = watches_.find(key);
  if (it == watches_.end()) return 0;
  Watch& w = *it->second;
  uint64_t peak = w.peak_bytes;
  if (!w.cgroup.empty()) {
    peak = std::max(peak, cgroups_.peak_bytes(w.cgroup));
    // The kernel may have killed the runtime before the OOM eventfd was read.
    if (!w.over_limit && cgroups_.oom_kills(w.cgroup) > 0) w.over_limit = true;
  }
  return w.over_limit ? std::max(peak, w.limit_bytes) : peak;
}

void MemoryGuard::kill_all(uint64_t key) {
  auto it = watches_.find(key);
  if (it != watches_.end() && !it->second->cgroup.empty()) cgroups_.kill_all(it->second->cgroup);
}

void MemoryGuard::release(uint64_t key) {
  auto it = watches_.find(key);
  if (it == watches_.end()) return;
  std::unique_ptr<Watch> w = std::move(it->second);
  watches_.erase(it);
  unschedule(*w);
  if (w->oom != nullptr) close_oom_poll(w->oom);
  if (!w->cgroup.empty() && !cgroups_.remove(w->cgroup)) {
    busy_.push_back(w->cgroup);
    arm();
  }
}

void MemoryGuard::close(std::function<void()> on_closed) {
  closed_ = true;
  for (int i = 0; i < kCloseTries && !busy_.empty(); ++i) {
    if (i > 0) std::this_thread::sleep_for(kClosePause);
    busy_.erase(std::remove_if(busy_.begin(), busy_.end(), [this](const std::string& d) { return cgroups_.remove(d); }),
                busy_.end());
  }
  for (const std::string& dir : busy_) log_warn("memory: cannot remove " + dir + " yet; the next start removes it");
  busy_.clear();
  for (auto& [key, w] : watches_) {
    if (w->oom != nullptr) close_oom_poll(std::exchange(w->oom, nullptr));
  }
  if (timer_ == nullptr) {
    if (on_closed) on_closed();
    return;
  }
  Timer* t = std::exchange(timer_, nullptr);
  t->on_closed = std::move(on_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&t->handle), [](uv_handle_t* h) {
    auto* timer = static_cast<Timer*>(h->data);
    auto done = std::move(timer->on_closed);
    delete timer;
    if (done) done();
  });
}

}  // namespace slipway::platform
