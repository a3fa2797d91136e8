// Every AWS limit slipway enforces, as a named constant, grouped in one profile.
//
// `LimitsProfile::aws()` mirrors AWS today (with Lambda's classic 3008 MB memory ceiling, which
// the manifest may raise to AWS's current 10240 MB); `LimitsProfile::classic()` restores the
// older payload limits (256 KB asynchronous invokes and SQS messages). Code reads limits only
// from a profile, never from literals, so a user can relax one in the manifest and every check
// moves with it. Units are in the names.
#pragma once

#include <cstdint>
#include <string_view>

namespace slipway::core {

struct LambdaLimits {
  int memory_mb_min = 128;
  int memory_mb_max = 3008;                // classic ceiling; AWS's current one is 10240
  int memory_mb_default = 128;
  int timeout_s_min = 1;
  int timeout_s_max = 900;                 // 15 minutes
  int timeout_s_default = 3;
  int init_timeout_s = 10;
  int account_concurrency_default = 1000;  // ConcurrentExecutions per region
  int unreserved_concurrency_min = 100;    // AWS always keeps 100 unreserved
  int scaling_environments_per_10s = 1000; // per function, since Nov 2023
  int env_vars_total_bytes_max = 4096;     // keys plus values
  int64_t sync_request_bytes_max = 6291456;   // 6 MiB
  int64_t sync_response_bytes_max = 6291556;  // 6 MiB + 100
  int64_t async_request_bytes_max = 1048576;  // 1 MiB since Oct 2025 (256 KiB classic)
  int64_t streamed_response_bytes_max = 200LL * 1024 * 1024;
  int client_context_bytes_max = 3583;
  int async_max_retry_attempts_max = 2;
  int async_max_event_age_s_min = 60;
  int async_max_event_age_s_max = 21600;   // 6 hours
};

// Largest memory AWS allows today, for manifests that opt in (Settings.AllowLargeMemory).
inline constexpr int kLambdaMemoryMbCurrentMax = 10240;

struct SqsLimits {
  int visibility_timeout_s_min = 0;
  int visibility_timeout_s_max = 43200;    // 12 hours
  int visibility_timeout_s_default = 30;
  int retention_s_min = 60;
  int retention_s_max = 1209600;           // 14 days
  int retention_s_default = 345600;        // 4 days
  int delay_s_min = 0;
  int delay_s_max = 900;
  int delay_s_default = 0;
  int message_bytes_min = 1024;            // lower bound of MaximumMessageSize
  int message_bytes_max = 1048576;         // 1 MiB since Aug 2025 (256 KiB classic)
  int receive_wait_s_min = 0;
  int receive_wait_s_max = 20;
  int receive_wait_s_default = 0;
  int max_receive_count_min = 1;
  int max_receive_count_max = 1000;
  int batch_entries_max = 10;
  int receive_messages_max = 10;
  int queue_name_chars_max = 80;
  int fifo_dedup_window_s = 300;           // 5 minutes
  int tags_per_queue_max = 50;
};

struct EventSourceMappingLimits {
  int batch_size_default = 10;
  int batch_size_min = 1;
  int batch_size_max_standard = 10000;
  int batch_size_max_fifo = 10;
  int batching_window_s_max = 300;
  int maximum_concurrency_min = 2;
  int maximum_concurrency_max = 1000;
};

struct LimitsProfile {
  std::string_view name = "aws";
  LambdaLimits lambda;
  SqsLimits sqs;
  EventSourceMappingLimits esm;

  static LimitsProfile aws() { return LimitsProfile{}; }
  static LimitsProfile classic() {
    LimitsProfile p;
    p.name = "classic";
    p.lambda.async_request_bytes_max = 262144;
    p.sqs.message_bytes_max = 262144;
    return p;
  }
};

}  // namespace slipway::core
