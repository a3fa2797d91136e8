// restore(): rebuilds queues, messages and deduplication entries from a snapshot. Queue
// attributes go through the same validation as SetQueueAttributes; RedrivePolicy is applied in a
// second pass, once every queue (and so every dead-letter target) exists.
#include <algorithm>

#include "core/digest.h"
#include "sqs/service_impl.h"

namespace slipway::sqs {

namespace {

Message from_record(const MessageRecord& r) {
  Message m;
  m.seq = r.sequence;
  m.message_id = r.message_id;
  m.body = r.body;
  m.set_md5(core::md5_hex(m.body));
  m.sent_ms = r.sent_timestamp_ms;
  m.enqueued_at_us = r.enqueued_at_us;
  m.first_receive_ms = r.first_receive_timestamp_ms;
  m.receive_count = r.receive_count;
  m.visible_at_us = r.visible_at_us;
  m.received_at_us = r.received_at_us;
  m.set_extras({r.message_attributes, r.message_system_attributes, r.message_group_id,
                r.message_deduplication_id, r.sequence_number, r.dead_letter_queue_source_arn});
  if (!r.receipt_handle.empty()) {
    const auto h = decode_receipt(r.receipt_handle);
    if (h && h->seq == r.sequence && h->queue == r.queue) m.receipt_nonce = h->nonce;
  }
  return m;
}

}  // namespace

void SqsService::Impl::restore(const SqsSnapshot& snapshot) {
  const core::TimeUs t = now();
  const auto& limits = config.limits;
  for (const auto& rec : snapshot.queues) {
    auto attrs = rec.attributes;
    attrs.erase("RedrivePolicy");
    const bool fifo = attrs.count("FifoQueue") && attrs.at("FifoQueue") == "true";
    const std::string arn = queue_arn(rec.name);
    auto cfg = apply_queue_attributes(default_queue_config(limits, fifo), attrs, limits, arn, dlq_lookup());
    auto q = std::make_unique<Queue>();
    q->name = rec.name;
    q->arn = arn;
    q->cfg = cfg ? std::move(cfg).value() : default_queue_config(limits, fifo);
    q->dedup_by_group = rec.deduplication_by_message_group;
    q->created_s = rec.created_timestamp_s;
    q->modified_s = rec.last_modified_timestamp_s;
    q->tags = rec.tags;
    queues[rec.name] = std::move(q);
  }
  for (const auto& rec : snapshot.queues) {
    auto policy = rec.attributes.find("RedrivePolicy");
    if (policy == rec.attributes.end() || policy->second.empty()) continue;
    Queue& q = *queues.at(rec.name);
    auto cfg = apply_queue_attributes(q.cfg, {{"RedrivePolicy", policy->second}}, limits, q.arn,
                                      dlq_lookup());
    if (cfg) q.cfg = std::move(cfg).value();
  }
  uint64_t max_seq = 0;
  for (const auto& rec : snapshot.messages) {
    auto it = queues.find(rec.queue);
    if (it == queues.end()) continue;
    Message m = from_record(rec);
    max_seq = std::max(max_seq, m.seq);
    it->second->insert(std::move(m), t);
  }
  next_seq = std::max(snapshot.next_sequence, max_seq + 1);
  for (const auto& task : snapshot.move_tasks) restore_task(task);
  std::vector<DedupRecord> dedup = snapshot.dedup;
  std::sort(dedup.begin(), dedup.end(),
            [](const DedupRecord& a, const DedupRecord& b) { return a.expires_at_us < b.expires_at_us; });
  for (const auto& d : dedup) {
    auto it = queues.find(d.queue);
    if (it == queues.end() || d.expires_at_us <= t) continue;
    it->second->dedup[d.key] = DedupEntry{d.message_id, d.sequence_number, d.expires_at_us};
    it->second->dedup_expiry.emplace_back(d.expires_at_us, d.key);
  }
  for (auto& [name, q] : queues) ensure_retention_timer(*q);
}

}  // namespace slipway::sqs
