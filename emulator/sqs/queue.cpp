#include "sqs/queue.h"

#include <algorithm>

namespace slipway::sqs {

const MessageExtras& Message::extra() const {
  static const MessageExtras kNone;
  return extras ? *extras : kNone;
}

MessageExtras& Message::extra_to_set() {
  if (!extras) extras = std::make_unique<MessageExtras>();
  return *extras;
}

void Message::set_extras(MessageExtras x) {
  extras = x.empty() ? nullptr : std::make_unique<MessageExtras>(std::move(x));
}

void Message::set_md5(std::string_view hex) {
  std::copy_n(hex.begin(), std::min(hex.size(), md5_of_body.size()), md5_of_body.begin());
}

Message& Queue::insert(Message m, core::TimeUs now) {
  const uint64_t seq = m.seq;
  // Sequences and enqueue times only grow, so a new message goes at the end of these indexes:
  // constant time with the hint, where a search from the root misses the cache at 1M messages.
  Message& stored = messages.emplace_hint(messages.end(), seq, std::move(m))->second;
  by_enqueue.emplace_hint(by_enqueue.end(), stored.enqueued_at_us, seq);
  const auto& group = stored.extra().group_id;
  if (cfg.fifo && group) groups[*group].seqs.insert(seq);
  place(stored, now);
  if (cfg.fifo && group) reindex_group(*group, now);
  return stored;
}

Message Queue::take(uint64_t seq, core::TimeUs now) {
  auto it = messages.find(seq);
  Message m = std::move(it->second);
  messages.erase(it);
  unplace(m);
  by_enqueue.erase(VisKey{m.enqueued_at_us, seq});
  if (const auto& group = m.extra().group_id; cfg.fifo && group) {
    auto g = groups.find(*group);
    if (g != groups.end()) g->second.seqs.erase(seq);
    reindex_group(*group, now);
  }
  return m;
}

void Queue::reposition(Message& m, core::TimeUs visible_at_us, uint64_t receipt_nonce,
                       core::TimeUs now) {
  unplace(m);
  m.visible_at_us = visible_at_us;
  m.receipt_nonce = receipt_nonce;
  place(m, now);
  if (const auto& group = m.extra().group_id; cfg.fifo && group) reindex_group(*group, now);
}

void Queue::refresh(core::TimeUs now) {
  while (!waiting.empty() && waiting.begin()->first <= now) {
    const VisKey key = *waiting.begin();
    Message& m = messages.at(key.second);
    unplace(m);
    place(m, now);
    if (const auto& group = m.extra().group_id; cfg.fifo && group) reindex_group(*group, now);
  }
}

void Queue::clear() {
  messages.clear();
  ready.clear();
  waiting.clear();
  waiting_received = 0;
  groups.clear();
  ready_groups.clear();
  by_enqueue.clear();
  dedup.clear();
  dedup_expiry.clear();
  attempts.clear();
}

Message* Queue::find(uint64_t seq) {
  auto it = messages.find(seq);
  return it == messages.end() ? nullptr : &it->second;
}

std::optional<core::TimeUs> Queue::next_visible_at() const {
  if (waiting.empty()) return std::nullopt;
  return waiting.begin()->first;
}

void Queue::place(const Message& m, core::TimeUs now) {
  const VisKey key{m.visible_at_us, m.seq};
  // Hinted at the end: a new message's, or a received one's, time is usually the latest.
  if (m.visible_at_us <= now) {
    ready.insert(ready.end(), key);
  } else {
    waiting.insert(waiting.end(), key);
    if (m.receipt_nonce != 0) ++waiting_received;
  }
}

void Queue::unplace(const Message& m) {
  const VisKey key{m.visible_at_us, m.seq};
  if (ready.erase(key) == 0 && waiting.erase(key) == 1 && m.receipt_nonce != 0) --waiting_received;
}

void Queue::reindex_group(const std::string& group, core::TimeUs now) {
  auto it = groups.find(group);
  if (it == groups.end()) return;
  Group& g = it->second;
  if (g.ready_key != 0) {
    ready_groups.erase(g.ready_key);
    g.ready_key = 0;
  }
  if (g.seqs.empty()) {
    groups.erase(it);
    return;
  }
  const uint64_t front = *g.seqs.begin();
  if (messages.at(front).visible_at_us <= now) {
    ready_groups.emplace(front, group);
    g.ready_key = front;
  }
}

}  // namespace slipway::sqs
