#include "http/sqs_query.h"

#include <charconv>
#include <optional>

#include "core/digest.h"
#include "http/sqs_decode.h"
#include "http/xml_writer.h"

namespace slipway::http::sqs_query {

namespace {

using sqs::SqsError;

// A list of name/value pairs: <list>.N.<key> / <list>.N.<value> (Attribute.N.Name/Value).
struct PairList {
  std::string_view list, key, value;
};

// Reads parameters under a prefix ("" or "SendMessageBatchRequestEntry.2."), recording the first
// problem in a sink the caller owns; getters return empty values once a problem is recorded.
class Reader {
 public:
  Reader(const FormParams& params, std::optional<SqsError>& sink, std::string prefix = {})
      : params_(params), sink_(sink), prefix_(std::move(prefix)) {}

  Reader at(std::string_view list, int index) const {
    return Reader(params_, sink_, prefix_ + std::string(list) + "." + std::to_string(index) + ".");
  }
  std::vector<int> indexes(std::string_view list) const { return params_.indexes(name(list)); }

  std::optional<std::string> opt(std::string_view key) const {
    const std::string* v = params_.get(name(key));
    return v ? std::optional<std::string>(*v) : std::nullopt;
  }
  // Absent is MissingParameter; so is empty when `empty_is_missing` (AWS: "MessageBody=").
  std::string req(std::string_view key, bool empty_is_missing = false) const {
    const std::string* v = params_.get(name(key));
    if (v == nullptr || (empty_is_missing && v->empty())) {
      fail(sqs::missing_parameter(name(key)));
      return {};
    }
    return *v;
  }
  std::optional<int> opt_int(std::string_view key) const {
    const std::string* v = params_.get(name(key));
    if (v == nullptr) return std::nullopt;
    int n = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || ptr != v->data() + v->size() || v->empty()) {
      fail(sqs::invalid_parameter(name(key), *v, "Must be an integer."));
      return std::nullopt;
    }
    return n;
  }
  int req_int(std::string_view key) const {
    if (!params_.has(name(key))) fail(sqs::missing_parameter(name(key)));
    return opt_int(key).value_or(0);
  }
  // <list>.1, <list>.2, ... in index order, plus a bare non-empty <list>.
  std::vector<std::string> list(std::string_view list) const {
    std::vector<std::string> values;
    if (const std::string* bare = params_.get(name(list)); bare && !bare->empty()) values.push_back(*bare);
    for (int i : indexes(list)) {
      if (const std::string* v = params_.get(name(list) + "." + std::to_string(i))) values.push_back(*v);
    }
    return values;
  }
  // <list>.N.<key_member> / <list>.N.<value_member> pairs; a missing value is "".
  std::map<std::string, std::string> map(const PairList& pairs) const {
    std::map<std::string, std::string> out;
    for (int i : indexes(pairs.list)) {
      Reader entry = at(pairs.list, i);
      std::string key = entry.req(pairs.key);
      if (failed()) break;
      out[std::move(key)] = entry.opt(pairs.value).value_or("");
    }
    return out;
  }
  // <list>.N.Name + <list>.N.Value.{DataType, StringValue, BinaryValue (base64)}.
  sqs::MessageAttributes attributes(std::string_view list) const {
    sqs::MessageAttributes out;
    for (int i : indexes(list)) {
      Reader entry = at(list, i);
      std::string attr_name = entry.req("Name");
      sqs::AttributeValue value;
      value.data_type = entry.opt("Value.DataType").value_or("");
      value.string_value = entry.opt("Value.StringValue").value_or("");
      if (auto b64 = entry.opt("Value.BinaryValue")) {
        auto raw = core::base64_decode(*b64);
        if (!raw) fail(sqs::invalid_parameter(entry.name("Value.BinaryValue"), *b64, "Must be base64."));
        value.binary_value = raw.value_or("");
      }
      if (failed()) break;
      out[std::move(attr_name)] = std::move(value);
    }
    return out;
  }
  // Each <list>.N entry in index order, with its own Reader ("<list>.N." ...).
  template <typename Fn>
  void each_entry(std::string_view list, Fn&& fn) const {
    for (int i : indexes(list)) {
      fn(at(list, i));
      if (failed()) break;
    }
  }

  bool failed() const { return sink_.has_value(); }
  std::string name(std::string_view key) const { return prefix_ + std::string(key); }

 private:
  void fail(SqsError error) const {
    if (!sink_) sink_ = std::move(error);
  }

  const FormParams& params_;
  std::optional<SqsError>& sink_;
  std::string prefix_;
};

// Query's spelling of the members whose names differ between the protocols (sqs_decode.h).
struct Names {
  static constexpr PairList kAttributes{"Attribute", "Name", "Value"};
  static constexpr PairList kCreateQueueTags{"Tag", "Key", "Value"};
  static constexpr PairList kTags = kCreateQueueTags;
  // Query spells both AttributeNames and MessageSystemAttributeNames "AttributeName.N"; the
  // second spelling is taken too, in case a client serialises the member name.
  static constexpr const char* kAttributeNames = "AttributeName";
  static constexpr const char* kMessageSystemAttributeNames = "MessageSystemAttributeName";
  static constexpr const char* kMessageAttributeNames = "MessageAttributeName";
  static constexpr const char* kTagKeys = "TagKey";
  static constexpr const char* kAwsAccountIds = "AWSAccountId";
  static constexpr const char* kActions = "ActionName";
  static constexpr const char* kMessageAttributes = "MessageAttribute";
  static constexpr const char* kMessageSystemAttributes = "MessageSystemAttribute";
  static constexpr const char* kSendBatchEntries = "SendMessageBatchRequestEntry";
  static constexpr const char* kDeleteBatchEntries = "DeleteMessageBatchRequestEntry";
  static constexpr const char* kChangeVisibilityBatchEntries = "ChangeMessageVisibilityBatchRequestEntry";
  static constexpr bool kDedupSystemAttributeNames = false;  // both lists kept whole, in order
};

}  // namespace

// ---- Decoders: sqs_decode.h's, over this Reader and these Names ----

#define SLIPWAY_SQS_QUERY_DECODER(Request, action)                            \
  SqsResult<sqs::Request> decode_##action(const FormParams& p) {              \
    return sqs_decode::run<Reader>(p, &sqs_decode::action<Reader, Names>);    \
  }
SLIPWAY_SQS_DECODERS(SLIPWAY_SQS_QUERY_DECODER)
#undef SLIPWAY_SQS_QUERY_DECODER

// ---- Encoders ----

namespace {

void write_metadata(XmlWriter& w, std::string_view request_id) {
  w.open("ResponseMetadata").leaf("RequestId", request_id).close();
}

// The document around a result; `fill` writes the Result's children.
template <typename Fill>
std::string document(std::string_view action, std::string_view request_id, Fill&& fill) {
  XmlWriter w;
  w.open(std::string(action) + "Response", kXmlns);
  w.open(std::string(action) + "Result");
  fill(w);
  w.close();
  write_metadata(w, request_id);
  w.close();
  return w.finish();
}

void leaf_if(XmlWriter& w, std::string_view tag, const std::string& text) {
  if (!text.empty()) w.leaf(tag, text);
}

void leaf_if(XmlWriter& w, std::string_view tag, const std::optional<std::string>& text) {
  if (text) w.leaf(tag, *text);
}

bool is_binary(const std::string& data_type) {
  return data_type == "Binary" || data_type.starts_with("Binary.");
}

void write_name_values(XmlWriter& w, std::string_view element, std::string_view key_tag,
                       std::string_view value_tag, const auto& pairs) {
  for (const auto& [key, value] : pairs) {
    w.open(element).leaf(key_tag, key).leaf(value_tag, value).close();
  }
}

void write_send_result(XmlWriter& w, const sqs::SendMessageResult& r) {
  w.leaf("MessageId", r.message_id);
  w.leaf("MD5OfMessageBody", r.md5_of_message_body);
  leaf_if(w, "MD5OfMessageAttributes", r.md5_of_message_attributes);
  leaf_if(w, "MD5OfMessageSystemAttributes", r.md5_of_message_system_attributes);
  leaf_if(w, "SequenceNumber", r.sequence_number);
}

void write_batch_errors(XmlWriter& w, const std::vector<sqs::BatchEntryError>& failed) {
  for (const sqs::BatchEntryError& f : failed) {
    const SqsErrorWire& wire = sqs_error_wire(f.error.code);
    w.open("BatchResultErrorEntry").leaf("Id", f.id);
    w.leaf("SenderFault", wire.sender_fault ? "true" : "false");
    w.leaf("Code", wire.query_code).leaf("Message", sqs_error_message(f.error, SqsProtocol::kQuery));
    w.close();
  }
}

void write_message(XmlWriter& w, const sqs::ReceivedMessage& m) {
  w.open("Message");
  w.leaf("MessageId", m.message_id).leaf("ReceiptHandle", m.receipt_handle);
  w.leaf("MD5OfBody", m.md5_of_body).leaf("Body", m.body);
  write_name_values(w, "Attribute", "Name", "Value", m.attributes);
  leaf_if(w, "MD5OfMessageAttributes", m.md5_of_message_attributes);
  for (const auto& [name, value] : m.message_attributes) {
    w.open("MessageAttribute").leaf("Name", name).open("Value");
    if (is_binary(value.data_type)) {
      w.leaf("BinaryValue", core::base64_encode(value.binary_value));
    } else {
      w.leaf("StringValue", value.string_value);
    }
    w.leaf("DataType", value.data_type).close().close();
  }
  w.close();
}

void write_move_task(XmlWriter& w, const sqs::MessageMoveTask& t) {
  w.open("ListMessageMoveTasksResultEntry");
  leaf_if(w, "TaskHandle", t.task_handle);
  w.leaf("Status", t.status).leaf("SourceArn", t.source_arn);
  leaf_if(w, "DestinationArn", t.destination_arn);
  if (t.max_number_of_messages_per_second) {
    w.leaf("MaxNumberOfMessagesPerSecond", std::to_string(*t.max_number_of_messages_per_second));
  }
  w.leaf("ApproximateNumberOfMessagesMoved", std::to_string(t.approximate_number_of_messages_moved));
  w.leaf("ApproximateNumberOfMessagesToMove", std::to_string(t.approximate_number_of_messages_to_move));
  leaf_if(w, "FailureReason", t.failure_reason);
  w.leaf("StartedTimestamp", std::to_string(t.started_timestamp_ms));
  w.close();
}

}  // namespace

std::string encode_response(std::string_view action, const sqs::EmptyResponse&, std::string_view request_id) {
  XmlWriter w;
  w.open(std::string(action) + "Response", kXmlns);
  write_metadata(w, request_id);
  w.close();
  return w.finish();
}

std::string encode_response(std::string_view action, const sqs::CreateQueueResponse& r,
                            std::string_view request_id) {
  return document(action, request_id, [&](XmlWriter& w) { w.leaf("QueueUrl", r.queue_url); });
}

std::string encode_response(std::string_view action, const sqs::GetQueueUrlResponse& r,
                            std::string_view request_id) {
  return document(action, request_id, [&](XmlWriter& w) { w.leaf("QueueUrl", r.queue_url); });
}

std::string encode_response(std::string_view action, const sqs::ListQueuesResponse& r,
                            std::string_view request_id) {
  return document(action, request_id, [&](XmlWriter& w) {
    for (const std::string& url : r.queue_urls) w.leaf("QueueUrl", url);
    leaf_if(w, "NextToken", r.next_token);
  });
}

std::string encode_response(std::string_view action, const sqs::GetQueueAttributesResponse& r,
                            std::string_view request_id) {
  return document(action, request_id,
                  [&](XmlWriter& w) { write_name_values(w, "Attribute", "Name", "Value", r.attributes); });
}

std::string encode_response(std::string_view action, const sqs::ListQueueTagsResponse& r,
                            std::string_view request_id) {
  return document(action, request_id,
                  [&](XmlWriter& w) { write_name_values(w, "Tag", "Key", "Value", r.tags); });
}

std::string encode_response(std::string_view action, const sqs::ListDeadLetterSourceQueuesResponse& r,
                            std::string_view request_id) {
  return document(action, request_id, [&](XmlWriter& w) {
    for (const std::string& url : r.queue_urls) w.leaf("QueueUrl", url);
    leaf_if(w, "NextToken", r.next_token);
  });
}

std::string encode_response(std::string_view action, const sqs::SendMessageResult& r,
                            std::string_view request_id) {
  return document(action, request_id, [&](XmlWriter& w) { write_send_result(w, r); });
}

std::string encode_response(std::string_view action, const sqs::SendMessageBatchResponse& r,
                            std::string_view request_id) {
  return document(action, request_id, [&](XmlWriter& w) {
    for (const auto& [id, result] : r.successful) {
      w.open("SendMessageBatchResultEntry").leaf("Id", id);
      write_send_result(w, result);
      w.close();
    }
    write_batch_errors(w, r.failed);
  });
}

std::string encode_response(std::string_view action, const sqs::ReceiveMessageResponse& r,
                            std::string_view request_id) {
  return document(action, request_id, [&](XmlWriter& w) {
    for (const sqs::ReceivedMessage& m : r.messages) write_message(w, m);
  });
}

std::string encode_response(std::string_view action, const sqs::BatchIdsResponse& r,
                            std::string_view request_id) {
  const std::string entry = std::string(action) + "ResultEntry";
  return document(action, request_id, [&](XmlWriter& w) {
    for (const std::string& id : r.successful) w.open(entry).leaf("Id", id).close();
    write_batch_errors(w, r.failed);
  });
}

std::string encode_response(std::string_view action, const sqs::StartMessageMoveTaskResponse& r,
                            std::string_view request_id) {
  return document(action, request_id, [&](XmlWriter& w) { w.leaf("TaskHandle", r.task_handle); });
}

std::string encode_response(std::string_view action, const sqs::CancelMessageMoveTaskResponse& r,
                            std::string_view request_id) {
  return document(action, request_id, [&](XmlWriter& w) {
    w.leaf("ApproximateNumberOfMessagesMoved", std::to_string(r.approximate_number_of_messages_moved));
  });
}

std::string encode_response(std::string_view action, const sqs::ListMessageMoveTasksResponse& r,
                            std::string_view request_id) {
  return document(action, request_id, [&](XmlWriter& w) {
    for (const sqs::MessageMoveTask& t : r.results) write_move_task(w, t);
  });
}

SqsAnswer encode_error(const sqs::SqsError& error, std::string_view request_id) {
  const SqsErrorWire& wire = sqs_error_wire(error.code);
  XmlWriter w;
  w.open("ErrorResponse", kXmlns).open("Error");
  w.leaf("Type", sqs_fault_name(error.code)).leaf("Code", wire.query_code);
  w.leaf("Message", sqs_error_message(error, SqsProtocol::kQuery));
  w.open("Detail").close();
  w.close().leaf("RequestId", request_id).close();
  SqsAnswer answer;
  answer.status = wire.http_status;
  answer.content_type = std::string(kContentType);
  answer.body = w.finish();
  return answer;
}

}  // namespace slipway::http::sqs_query
