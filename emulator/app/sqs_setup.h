// Brings up the SQS service at daemon start: loads what the store holds (queues, messages,
// deduplication entries), restores the service from it, then makes the manifest's queues exist
// with the manifest's attributes (the manifest wins over attributes changed through the API;
// queues created through the API and absent from the manifest are kept).
//
// Runs on the loop thread before the loop starts, inside one store transaction of its own.
#pragma once

#include <cstdint>
#include <memory>

#include "app/manifest.h"
#include "core/clock.h"
#include "core/result.h"
#include "core/timer_queue.h"
#include "sqs/service.h"
#include "store/sqs_store.h"
#include "store/store.h"

namespace slipway::app {

struct SqsRuntime {
  std::unique_ptr<store::SqliteSqsPersistence> persistence;
  std::unique_ptr<sqs::SqsService> service;
  size_t restored_messages = 0;
};

core::Result<SqsRuntime> start_sqs(const Manifest& manifest, store::Store& store,
                                   const core::Clock& clock, core::TimerQueue& timers,
                                   uint64_t seed);

}  // namespace slipway::app
