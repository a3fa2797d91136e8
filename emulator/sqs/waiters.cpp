// Long polls (parked waiters) and the timers that serve them: the per-queue "next visibility
// change" timer, armed only while a queue has waiters, and the per-queue retention sweep.
//
// Wake-ups are deferred: a mutation calls notify(queue); the public entry point calls flush()
// when its work is done, which answers waiters. Reply callbacks may call back into the service;
// a flush already running picks up what they notify.
#include "sqs/service_impl.h"

namespace slipway::sqs {

void SqsService::Impl::receive(const RequestContext&, const ReceiveMessageRequest& req,
                               ReceiveReply reply) {
  auto found = find_queue(req.queue);
  if (!found) return reply(found.error());
  Queue& q = *found.value();
  auto params = check_receive(q, req);
  if (!params) return reply(params.error());
  const int wait_s = req.wait_time_seconds.value_or(q.cfg.receive_wait_s);
  ReceiveMessageResponse resp = collect(q, params.value());
  if (!resp.messages.empty() || wait_s == 0) return reply(std::move(resp));
  park(q, std::move(params).value(), wait_s, std::move(reply));
}

void SqsService::Impl::park(Queue& q, ReceiveParams params, int wait_s, ReceiveReply reply) {
  const uint64_t id = next_waiter_id++;
  const core::TimerId timer =
      timers.arm(now() + wait_s * core::kUsPerSecond, [this, id](core::TimeUs) { on_deadline(id); });
  waiters.emplace(id, Waiter{q.name, std::move(params), std::move(reply), timer});
  q.waiter_ids.push_back(id);
  arm_visibility_timer(q);
}

// The wait is over: answer with whatever is deliverable at this instant (often nothing).
void SqsService::Impl::on_deadline(uint64_t waiter_id) {
  auto w = waiters.find(waiter_id);
  if (w == waiters.end()) return;
  Waiter waiter = std::move(w->second);
  waiters.erase(w);
  ReceiveMessageResponse resp;
  if (auto it = queues.find(waiter.queue); it != queues.end()) {
    Queue& q = *it->second;
    std::erase(q.waiter_ids, waiter_id);
    resp = collect(q, waiter.params);
    arm_visibility_timer(q);
  }
  waiter.reply(std::move(resp));
  flush();
}

void SqsService::Impl::notify(const std::string& queue) {
  // A batch notifies its queue once per message; one wake-up serves them all.
  if (pending_wakes.empty() || pending_wakes.back() != queue) pending_wakes.push_back(queue);
}

void SqsService::Impl::flush() {
  if (flushing) return;
  flushing = true;
  while (!pending_wakes.empty()) {
    std::vector<std::string> batch;
    batch.swap(pending_wakes);
    for (const auto& name : batch) serve_waiters(name);
  }
  flushing = false;
}

void SqsService::Impl::serve_waiters(const std::string& queue) {
  while (true) {
    auto it = queues.find(queue);
    if (it == queues.end()) return;
    Queue& q = *it->second;
    if (q.waiter_ids.empty()) return arm_visibility_timer(q);
    q.refresh(now());
    if (!q.has_deliverable()) return arm_visibility_timer(q);
    const uint64_t id = q.waiter_ids.front();
    auto w = waiters.find(id);
    if (w == waiters.end()) {
      q.waiter_ids.pop_front();
      continue;
    }
    ReceiveMessageResponse resp = collect(q, w->second.params);
    if (resp.messages.empty()) continue;  // all were redriven; progress was made
    q.waiter_ids.pop_front();
    timers.cancel(w->second.deadline_timer);
    ReceiveReply reply = std::move(w->second.reply);
    waiters.erase(w);
    arm_visibility_timer(q);
    reply(std::move(resp));
  }
}

void SqsService::Impl::arm_visibility_timer(Queue& q) {
  const bool wanted = !q.waiter_ids.empty() && !q.waiting.empty();
  const core::TimeUs due = wanted ? q.waiting.begin()->first : 0;
  if (q.visibility_timer != 0 && wanted && q.visibility_due_us == due) return;
  if (q.visibility_timer != 0) timers.cancel(q.visibility_timer);
  q.visibility_timer = 0;
  if (!wanted) return;
  q.visibility_due_us = due;
  q.visibility_timer = timers.arm(due, [this, name = q.name](core::TimeUs) {
    if (auto it = queues.find(name); it != queues.end()) it->second->visibility_timer = 0;
    notify(name);
    flush();
  });
}

// Lazy: an armed timer stays while it is due no later than the oldest message. Deleting the
// oldest message (what a consumer does all day) then costs no timer work; a sweep that fires
// early finds nothing to remove and re-arms for the message that is now the oldest.
void SqsService::Impl::ensure_retention_timer(Queue& q) {
  if (q.by_enqueue.empty()) return;
  const core::TimeUs due = q.by_enqueue.begin()->first + q.cfg.retention_s * core::kUsPerSecond;
  if (q.retention_timer != 0 && q.retention_due_us <= due) return;
  if (q.retention_timer != 0) timers.cancel(q.retention_timer);
  q.retention_due_us = due;
  q.retention_timer =
      timers.arm(due, [this, name = q.name](core::TimeUs) { sweep_retention(name); });
}

// Removes every message whose age reached MessageRetentionPeriod, then re-arms.
void SqsService::Impl::sweep_retention(const std::string& queue) {
  auto it = queues.find(queue);
  if (it == queues.end()) return;
  Queue& q = *it->second;
  q.retention_timer = 0;
  const core::TimeUs t = now();
  const core::TimeUs retention = q.cfg.retention_s * core::kUsPerSecond;
  while (!q.by_enqueue.empty() && q.by_enqueue.begin()->first + retention <= t) {
    Message m = q.take(q.by_enqueue.begin()->second, t);
    if (persistence != nullptr) persistence->remove_message(q.name, m.seq);
  }
  prune_dedup(q, t);
  ensure_retention_timer(q);
  notify(q.name);
  flush();
}

void SqsService::Impl::drop_queue_runtime(Queue& q) {
  if (q.visibility_timer != 0) timers.cancel(q.visibility_timer);
  if (q.retention_timer != 0) timers.cancel(q.retention_timer);
  q.visibility_timer = q.retention_timer = 0;
}

void SqsService::Impl::release_waiters() {
  std::vector<ReceiveReply> replies;
  for (auto& [id, w] : waiters) {
    timers.cancel(w.deadline_timer);
    replies.push_back(std::move(w.reply));
  }
  waiters.clear();
  for (auto& [name, q] : queues) {
    q->waiter_ids.clear();
    arm_visibility_timer(*q);
  }
  for (auto& reply : replies) reply(ReceiveMessageResponse{});
}

}  // namespace slipway::sqs
