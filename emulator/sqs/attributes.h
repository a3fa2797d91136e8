// Queue attributes: validating what CreateQueue/SetQueueAttributes supply, rendering what
// GetQueueAttributes returns, and the flat name->value form stored in QueueRecord (spec §2.1).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/limits.h"
#include "sqs/errors.h"
#include "sqs/queue.h"

namespace slipway::sqs {

// What a RedrivePolicy check needs to know about the queue it names.
struct DlqInfo {
  bool fifo = false;
  std::string redrive_permission;  // allowAll | denyAll | byQueue
  std::vector<std::string> source_arns;
};
// Finds a queue of this service by ARN; nullopt when there is none.
using DlqLookup = std::function<std::optional<DlqInfo>(const std::string& arn)>;

QueueConfig default_queue_config(const core::SqsLimits& limits, bool fifo);

// `cfg` with `attrs` applied, or AWS's error (nothing applied). `self_arn` is the queue's own
// ARN (for RedriveAllowPolicy byQueue checks).
SqsResult<QueueConfig> apply_queue_attributes(const QueueConfig& cfg,
                                              const std::map<std::string, std::string>& attrs,
                                              const core::SqsLimits& limits,
                                              const std::string& self_arn, const DlqLookup& lookup);

// Every settable attribute that has a value, as GetQueueAttributes renders it.
std::map<std::string, std::string> settable_attribute_values(const QueueConfig& cfg);

// GetQueueAttributes. REQUIRES: q.refresh(now) was called (counts are read from the indexes).
SqsResult<std::vector<std::pair<std::string, std::string>>> render_queue_attributes(
    const Queue& q, const std::vector<std::string>& names);

// True when `dlq` lets a queue with ARN `source_arn` use it as a dead-letter queue.
bool redrive_allowed(const DlqInfo& dlq, const std::string& source_arn);

// RedrivePolicy / RedriveAllowPolicy parsing into `cfg` (redrive.cpp). `raw` is non-empty.
std::optional<SqsError> parse_redrive_policy(const std::string& raw, QueueConfig& cfg,
                                             const core::SqsLimits& limits,
                                             const std::string& self_arn, const DlqLookup& lookup);
std::optional<SqsError> parse_redrive_allow_policy(const std::string& raw, QueueConfig& cfg);

SqsError invalid_attribute_value(const std::string& name);
SqsError unknown_attribute(const std::string& name);

}  // namespace slipway::sqs
