#include "http/sqs_request.h"

#include <algorithm>
#include <vector>

namespace slipway::http {

namespace {

constexpr std::string_view kTargetPrefix = "AmazonSQS.";
constexpr size_t kAccountIdLength = 12;

bool is_account_id(std::string_view s) {
  return s.size() == kAccountIdLength &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_queue_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    if (!seg.empty()) segments.push_back(seg);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

}  // namespace

SqsProtocol detect_sqs_protocol(std::string_view target_header, std::string_view content_type) {
  if (!target_header.empty()) return SqsProtocol::kJson;
  if (content_type.starts_with("application/x-amz-json-1")) return SqsProtocol::kJson;
  return SqsProtocol::kQuery;
}

std::string json_action(std::string_view target_header) {
  if (target_header.starts_with(kTargetPrefix)) target_header.remove_prefix(kTargetPrefix.size());
  return std::string(target_header);
}

std::optional<sqs::QueueRef> queue_from_path(std::string_view path) {
  const auto segments = path_segments(path);
  if (segments.size() != 2 || !is_account_id(segments[0])) return std::nullopt;
  if (!std::all_of(segments[1].begin(), segments[1].end(), is_queue_name_char)) return std::nullopt;
  return sqs::QueueRef{std::string(segments[0]), std::string(segments[1])};
}

std::optional<sqs::QueueRef> parse_queue_url(std::string_view queue_url) {
  if (const size_t q = queue_url.find_first_of("?#"); q != std::string_view::npos) {
    queue_url = queue_url.substr(0, q);
  }
  if (const size_t scheme = queue_url.find("://"); scheme != std::string_view::npos) {
    queue_url.remove_prefix(scheme + 3);
    const size_t slash = queue_url.find('/');  // drop the authority: any host is accepted
    queue_url = slash == std::string_view::npos ? std::string_view{} : queue_url.substr(slash);
  }
  const auto segments = path_segments(queue_url);
  if (segments.empty()) return std::nullopt;
  sqs::QueueRef ref;
  ref.name = std::string(segments.back());
  if (segments.size() >= 2 && is_account_id(segments[segments.size() - 2])) {
    ref.account_id = std::string(segments[segments.size() - 2]);
  }
  return ref;
}

sqs::SqsResult<sqs::QueueRef> resolve_queue(const std::string* param, std::string_view path) {
  if (param != nullptr && !param->empty()) {
    if (auto ref = parse_queue_url(*param)) return *ref;
    return sqs::sqs_error(sqs::SqsErrorCode::kQueueDoesNotExist, "The specified queue does not exist.");
  }
  if (auto ref = queue_from_path(path)) return *ref;
  return sqs::missing_parameter("QueueUrl");
}

}  // namespace slipway::http
