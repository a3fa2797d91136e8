#include "app/sqs_setup.h"

#include <string>

#include "core/ids.h"
#include "core/rng.h"

namespace slipway::app {

namespace {

std::string queue_arn(const Settings& s, const std::string& name) {
  return "arn:aws:sqs:" + s.region + ":" + s.account_id + ":" + name;
}

// The manifest's queue as SQS attributes, as a CreateQueue/SetQueueAttributes call would send
// them. The redrive policy is left out here and set in a second step, once every DLQ exists.
std::map<std::string, std::string> queue_attributes(const QueueSpec& q) {
  std::map<std::string, std::string> a = {
      {"VisibilityTimeout", std::to_string(q.visibility_timeout_s)},
      {"MessageRetentionPeriod", std::to_string(q.message_retention_s)},
      {"DelaySeconds", std::to_string(q.delay_s)},
      {"MaximumMessageSize", std::to_string(q.maximum_message_bytes)},
      {"ReceiveMessageWaitTimeSeconds", std::to_string(q.receive_wait_s)},
  };
  if (q.fifo) {
    a["FifoQueue"] = "true";
    a["ContentBasedDeduplication"] = q.content_based_deduplication ? "true" : "false";
  }
  return a;
}

std::string redrive_policy_json(const Settings& s, const RedrivePolicySpec& r) {
  return "{\"deadLetterTargetArn\":\"" + queue_arn(s, r.dead_letter_queue) +
         "\",\"maxReceiveCount\":" + std::to_string(r.max_receive_count) + "}";
}

core::Error setup_error(const std::string& queue, const sqs::SqsError& e) {
  return core::make_error(core::ErrorCode::kInvalidArgument,
                          "cannot set up queue '" + queue + "' from the manifest: " + e.message);
}

// Creates or updates one manifest queue; the redrive policy comes later.
core::Status apply_queue(sqs::SqsService& sqs, const sqs::RequestContext& ctx, const QueueSpec& q) {
  const sqs::GetQueueUrlRequest lookup{q.name, std::nullopt};
  if (!sqs.get_queue_url(ctx, lookup).ok()) {
    auto created = sqs.create_queue(ctx, {q.name, queue_attributes(q), q.tags});
    if (!created) return setup_error(q.name, created.error());
    return core::Ok{};
  }
  auto attrs = queue_attributes(q);
  attrs.erase("FifoQueue");  // fixed at creation
  auto set = sqs.set_queue_attributes(ctx, {{"", q.name}, attrs});
  if (!set) return setup_error(q.name, set.error());
  if (!q.tags.empty()) {
    auto tagged = sqs.tag_queue(ctx, {{"", q.name}, q.tags});
    if (!tagged) return setup_error(q.name, tagged.error());
  }
  return core::Ok{};
}

core::Status apply_manifest_queues(const Manifest& m, sqs::SqsService& sqs) {
  const sqs::RequestContext ctx{"127.0.0.1", std::nullopt};
  for (const QueueSpec& q : m.queues) {
    if (auto s = apply_queue(sqs, ctx, q); !s) return s;
  }
  for (const QueueSpec& q : m.queues) {
    const std::string policy = q.redrive_policy ? redrive_policy_json(m.settings, *q.redrive_policy) : "";
    auto set = sqs.set_queue_attributes(ctx, {{"", q.name}, {{"RedrivePolicy", policy}}});
    if (!set) return setup_error(q.name, set.error());
  }
  return core::Ok{};
}

}  // namespace

core::Result<SqsRuntime> start_sqs(const Manifest& manifest, store::Store& store,
                                   const core::Clock& clock, core::TimerQueue& timers,
                                   uint64_t seed) {
  auto snapshot = store::load_sqs_snapshot(store);
  if (!snapshot) return snapshot.error();
  SqsRuntime rt;
  rt.persistence = std::make_unique<store::SqliteSqsPersistence>(store);
  if (auto ready = rt.persistence->ready(); !ready) return ready.error();
  sqs::SqsConfig config{manifest.settings.region, manifest.settings.account_id, manifest.limits.sqs};
  rt.service = std::make_unique<sqs::SqsService>(config, clock, timers,
                                                 core::IdGen(core::Rng(seed).fork("sqs")),
                                                 rt.persistence.get());
  if (auto s = store.begin(); !s) return s.error();
  rt.service->restore(snapshot.value());
  rt.restored_messages = snapshot.value().messages.size();
  auto applied = apply_manifest_queues(manifest, *rt.service);
  if (!applied) {
    store.rollback();
    return applied.error();
  }
  if (auto s = store.commit(); !s) return s.error();
  return rt;
}

}  // namespace slipway::app
