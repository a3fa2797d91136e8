#include "http/sqs_json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>

#include "core/digest.h"
#include "core/utf8.h"
#include "http/sqs_decode.h"

namespace slipway::http::sqs_json {

namespace {

using rapidjson::Value;
using sqs::SqsError;
using sqs::SqsErrorCode;

std::string as_string(const Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

SqsError bad_member(const std::string& name, std::string_view reason) {
  return sqs::sqs_error(SqsErrorCode::kInvalidParameterValue,
                        "Value for parameter " + name + " is invalid. Reason: " + std::string(reason));
}

// Reads members of one JSON object, recording the first problem in a sink the caller owns;
// getters return empty values once a problem is recorded. `path` prefixes names in messages
// ("Entries.2." inside a batch).
class Reader {
 public:
  Reader(const Value& object, std::optional<SqsError>& sink, std::string path = {})
      : object_(object), sink_(sink), path_(std::move(path)) {}

  // The member, or null when absent or JSON null.
  const Value* member(const char* key) const {
    auto it = object_.FindMember(key);
    if (it == object_.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }

  std::optional<std::string> opt(const char* key) const {
    const Value* v = member(key);
    if (v == nullptr) return std::nullopt;
    if (!v->IsString()) return fail(bad_member(name(key), "Expected a string.")), std::nullopt;
    return as_string(*v);
  }
  std::string req(const char* key, bool empty_is_missing = false) const {
    auto v = opt(key);
    if (!failed() && (!v || (empty_is_missing && v->empty()))) fail(sqs::missing_parameter(name(key)));
    return std::move(v).value_or("");
  }
  std::optional<int> opt_int(const char* key) const {
    const Value* v = member(key);
    if (v == nullptr) return std::nullopt;
    if (v->IsInt()) return v->GetInt();
    if (v->IsString()) {  // tolerated: Query-minded clients send numbers as text
      const std::string s = as_string(*v);
      int n = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) return n;
      return fail(sqs::invalid_parameter(name(key), s, "Must be an integer.")), std::nullopt;
    }
    return fail(bad_member(name(key), "Must be an integer.")), std::nullopt;
  }
  int req_int(const char* key) const {
    if (member(key) == nullptr) fail(sqs::missing_parameter(name(key)));
    return opt_int(key).value_or(0);
  }
  std::vector<std::string> list(const char* key) const {
    std::vector<std::string> out;
    const Value* v = member(key);
    if (v == nullptr) return out;
    if (!v->IsArray()) return fail(bad_member(name(key), "Expected a list of strings.")), out;
    for (const Value& item : v->GetArray()) {
      if (!item.IsString()) return fail(bad_member(name(key), "Expected a list of strings.")), out;
      out.push_back(as_string(item));
    }
    return out;
  }
  std::map<std::string, std::string> map(const char* key) const {
    std::map<std::string, std::string> out;
    const Value* v = member(key);
    if (v == nullptr) return out;
    if (!v->IsObject()) return fail(bad_member(name(key), "Expected a map of strings.")), out;
    for (const auto& m : v->GetObject()) {
      if (!m.value.IsString()) return fail(bad_member(name(key), "Expected a map of strings.")), out;
      out[as_string(m.name)] = as_string(m.value);
    }
    return out;
  }
  sqs::MessageAttributes attributes(const char* key) const;
  // The objects of an array member, each with its own Reader ("Entries.1." ...).
  template <typename Fn>
  void each_entry(const char* key, Fn&& fn) const {
    const Value* v = member(key);
    if (v == nullptr) return;
    if (!v->IsArray()) return fail(bad_member(name(key), "Expected a list."));
    int index = 0;
    for (const Value& item : v->GetArray()) {
      const std::string item_path = name(key) + "." + std::to_string(++index) + ".";
      if (!item.IsObject()) return fail(bad_member(item_path.substr(0, item_path.size() - 1), "Expected an object."));
      fn(Reader(item, sink_, item_path));
      if (failed()) return;
    }
  }

  bool failed() const { return sink_.has_value(); }
  std::string name(const char* key) const { return path_ + key; }
  void fail(SqsError error) const {
    if (!sink_) sink_ = std::move(error);
  }

 private:
  const Value& object_;
  std::optional<SqsError>& sink_;
  std::string path_;
};

sqs::MessageAttributes Reader::attributes(const char* key) const {
  sqs::MessageAttributes out;
  const Value* v = member(key);
  if (v == nullptr) return out;
  if (!v->IsObject()) return fail(bad_member(name(key), "Expected a map.")), out;
  for (const auto& m : v->GetObject()) {
    const std::string attr = as_string(m.name);
    if (!m.value.IsObject()) return fail(bad_member(name(key) + "." + attr, "Expected an object.")), out;
    Reader r(m.value, sink_, name(key) + "." + attr + ".");
    sqs::AttributeValue value;
    value.data_type = r.opt("DataType").value_or("");
    value.string_value = r.opt("StringValue").value_or("");
    if (auto b64 = r.opt("BinaryValue")) {
      auto raw = core::base64_decode(*b64);
      if (!raw) r.fail(sqs::invalid_parameter(r.name("BinaryValue"), *b64, "Must be base64."));
      value.binary_value = raw.value_or("");
    }
    if (failed()) return out;
    out[attr] = std::move(value);
  }
  return out;
}

// The JSON spelling of the members whose names differ between the protocols (sqs_decode.h).
struct Names {
  static constexpr const char* kAttributes = "Attributes";
  static constexpr const char* kCreateQueueTags = "tags";  // lowercase in AWS's model
  static constexpr const char* kTags = "Tags";
  static constexpr const char* kAttributeNames = "AttributeNames";
  static constexpr const char* kMessageSystemAttributeNames = "MessageSystemAttributeNames";
  static constexpr const char* kMessageAttributeNames = "MessageAttributeNames";
  static constexpr const char* kTagKeys = "TagKeys";
  static constexpr const char* kAwsAccountIds = "AWSAccountIds";
  static constexpr const char* kActions = "Actions";
  static constexpr const char* kMessageAttributes = "MessageAttributes";
  static constexpr const char* kMessageSystemAttributes = "MessageSystemAttributes";
  static constexpr const char* kSendBatchEntries = "Entries";
  static constexpr const char* kDeleteBatchEntries = "Entries";
  static constexpr const char* kChangeVisibilityBatchEntries = "Entries";
  // AttributeNames and MessageSystemAttributeNames are merged: union, first spelling's order.
  static constexpr bool kDedupSystemAttributeNames = true;
};

}  // namespace

namespace {

// A Document with its own pool, sized to the text. rapidjson's default pool starts with a 64 KiB
// block, allocated and freed per request; that was most of the bytes the daemon allocated.
// The allocators are passed in so that rapidjson does not allocate one of its own for each.
struct SizedDocument {
  explicit SizedDocument(size_t text_size)
      : pool(2 * text_size + 1024, &crt), doc(&pool, text_size + 1024, &crt) {}
  static inline rapidjson::CrtAllocator crt;  // stateless: malloc and free
  rapidjson::MemoryPoolAllocator<> pool;
  rapidjson::Document doc;  // after `pool`, which it uses
};

}  // namespace

SqsResult<Body> Body::parse(const std::string& text) {
  auto owner = std::make_shared<SizedDocument>(text.size());
  std::shared_ptr<rapidjson::Document> doc(owner, &owner->doc);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    doc->SetObject();
  } else {
    // The encoding is checked here, ahead of the parser: rapidjson's own check goes a byte at a
    // time and cost more than the rest of the parse.
    if (const size_t bad = core::invalid_utf8_at(text); bad != std::string_view::npos) {
      return sqs::sqs_error(SqsErrorCode::kInvalidParameterValue,
                            "The request body is not valid JSON: Invalid encoding in string. "
                            "(at offset " + std::to_string(bad) + ").");
    }
    // Parsed as a NUL-terminated string, which lets rapidjson scan strings 16 bytes at a time
    // (RAPIDJSON_SSE2); a raw NUL byte is never valid JSON, so none is lost by stopping there.
    // Iterative: a deeply nested body cannot exhaust the loop thread's stack.
    if (const size_t nul = text.find('\0'); nul != std::string::npos) {
      return sqs::sqs_error(SqsErrorCode::kInvalidParameterValue,
                            "The request body is not valid JSON: Invalid value. (at offset " +
                                std::to_string(nul) + ").");
    }
    doc->Parse<rapidjson::kParseIterativeFlag>(text.c_str());
    if (doc->HasParseError()) {
      return sqs::sqs_error(SqsErrorCode::kInvalidParameterValue,
                            std::string("The request body is not valid JSON: ") +
                                rapidjson::GetParseError_En(doc->GetParseError()) + " (at offset " +
                                std::to_string(doc->GetErrorOffset()) + ").");
    }
    if (!doc->IsObject()) {
      return sqs::sqs_error(SqsErrorCode::kInvalidParameterValue,
                            "The request body must be a JSON object.");
    }
  }
  Body body;
  if (auto it = doc->FindMember("QueueUrl"); it != doc->MemberEnd() && it->value.IsString()) {
    body.queue_url_ = as_string(it->value);
  }
  body.doc_ = std::move(doc);
  return body;
}

// ---- Decoders: sqs_decode.h's, over this Reader and these Names ----

#define SLIPWAY_SQS_JSON_DECODER(Request, action)                                 \
  SqsResult<sqs::Request> decode_##action(const Body& b) {                        \
    return sqs_decode::run<Reader>(b.root(), &sqs_decode::action<Reader, Names>); \
  }
SLIPWAY_SQS_DECODERS(SLIPWAY_SQS_JSON_DECODER)
#undef SLIPWAY_SQS_JSON_DECODER

// ---- Encoders ----

namespace {

// A thin layer over RapidJSON's Writer taking string_views (members may hold NUL bytes).
class Json {
 public:
  Json& begin() { return w_.StartObject(), *this; }
  Json& end() { return w_.EndObject(), *this; }
  Json& begin_list(std::string_view key) { return this->key(key), w_.StartArray(), *this; }
  Json& end_list() { return w_.EndArray(), *this; }
  Json& begin_map(std::string_view key) { return this->key(key).begin(); }
  Json& key(std::string_view k) {
    return w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())), *this;
  }
  Json& str(std::string_view s) {
    return w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())), *this;
  }
  Json& member(std::string_view k, std::string_view v) { return key(k).str(v); }
  Json& member_if(std::string_view k, const std::string& v) { return v.empty() ? *this : member(k, v); }
  Json& member_if(std::string_view k, const std::optional<std::string>& v) {
    return v ? member(k, *v) : *this;
  }
  Json& member_int(std::string_view k, int64_t v) { return key(k), w_.Int64(v), *this; }
  Json& member_bool(std::string_view k, bool v) { return key(k), w_.Bool(v), *this; }
  // {"k": {"name": "value", ...}}, omitted when empty.
  Json& string_map_if(std::string_view k, const auto& pairs) {
    if (pairs.empty()) return *this;
    begin_map(k);
    for (const auto& [name, value] : pairs) member(name, value);
    return end();
  }
  Json& string_list(std::string_view k, const std::vector<std::string>& items) {
    begin_list(k);
    for (const std::string& item : items) str(item);
    return end_list();
  }
  std::string take() { return std::string(buf_.GetString(), buf_.GetSize()); }

 private:
  // Most replies fit in 4 KiB: one allocation, not ten. The shared stateless allocator saves
  // rapidjson allocating one of its own for each buffer.
  static inline rapidjson::CrtAllocator crt_;
  rapidjson::StringBuffer buf_{&crt_, 4096};
  rapidjson::Writer<rapidjson::StringBuffer> w_{buf_, &crt_};
};

bool is_binary(const std::string& data_type) {
  return data_type == "Binary" || data_type.starts_with("Binary.");
}

void write_send_result(Json& j, const sqs::SendMessageResult& r) {
  j.member("MessageId", r.message_id).member("MD5OfMessageBody", r.md5_of_message_body);
  j.member_if("MD5OfMessageAttributes", r.md5_of_message_attributes);
  j.member_if("MD5OfMessageSystemAttributes", r.md5_of_message_system_attributes);
  j.member_if("SequenceNumber", r.sequence_number);
}

void write_failed(Json& j, const std::vector<sqs::BatchEntryError>& failed) {
  j.begin_list("Failed");
  for (const sqs::BatchEntryError& f : failed) {
    const SqsErrorWire& wire = sqs_error_wire(f.error.code);
    j.begin().member("Id", f.id).member_bool("SenderFault", wire.sender_fault);
    j.member("Code", wire.query_code).member("Message", sqs_error_message(f.error, SqsProtocol::kJson));
    j.end();
  }
  j.end_list();
}

void write_message(Json& j, const sqs::ReceivedMessage& m) {
  j.begin().member("MessageId", m.message_id).member("ReceiptHandle", m.receipt_handle);
  j.member("MD5OfBody", m.md5_of_body).member("Body", m.body);
  j.string_map_if("Attributes", m.attributes);
  j.member_if("MD5OfMessageAttributes", m.md5_of_message_attributes);
  if (!m.message_attributes.empty()) {
    j.begin_map("MessageAttributes");
    for (const auto& [name, value] : m.message_attributes) {
      j.key(name).begin();
      if (is_binary(value.data_type)) {
        j.member("BinaryValue", core::base64_encode(value.binary_value));
      } else {
        j.member("StringValue", value.string_value);
      }
      j.member("DataType", value.data_type).end();
    }
    j.end();
  }
  j.end();
}

void write_move_task(Json& j, const sqs::MessageMoveTask& t) {
  j.begin().member_if("TaskHandle", t.task_handle).member("Status", t.status);
  j.member("SourceArn", t.source_arn).member_if("DestinationArn", t.destination_arn);
  if (t.max_number_of_messages_per_second) {
    j.member_int("MaxNumberOfMessagesPerSecond", int64_t{*t.max_number_of_messages_per_second});
  }
  j.member_int("ApproximateNumberOfMessagesMoved", t.approximate_number_of_messages_moved);
  j.member_int("ApproximateNumberOfMessagesToMove", t.approximate_number_of_messages_to_move);
  j.member_if("FailureReason", t.failure_reason);
  j.member_int("StartedTimestamp", t.started_timestamp_ms).end();
}

}  // namespace

std::string encode_response(const sqs::EmptyResponse&) { return {}; }

std::string encode_response(const sqs::CreateQueueResponse& r) {
  return Json().begin().member("QueueUrl", r.queue_url).end().take();
}

std::string encode_response(const sqs::GetQueueUrlResponse& r) {
  return Json().begin().member("QueueUrl", r.queue_url).end().take();
}

std::string encode_response(const sqs::ListQueuesResponse& r) {
  Json j;
  j.begin();
  if (!r.queue_urls.empty()) j.string_list("QueueUrls", r.queue_urls);
  return j.member_if("NextToken", r.next_token).end().take();
}

std::string encode_response(const sqs::GetQueueAttributesResponse& r) {
  return Json().begin().string_map_if("Attributes", r.attributes).end().take();
}

std::string encode_response(const sqs::ListQueueTagsResponse& r) {
  return Json().begin().string_map_if("Tags", r.tags).end().take();
}

std::string encode_response(const sqs::ListDeadLetterSourceQueuesResponse& r) {
  Json j;
  j.begin().string_list("queueUrls", r.queue_urls);  // required member, lowercase in the model
  return j.member_if("NextToken", r.next_token).end().take();
}

std::string encode_response(const sqs::SendMessageResult& r) {
  Json j;
  j.begin();
  write_send_result(j, r);
  return j.end().take();
}

std::string encode_response(const sqs::SendMessageBatchResponse& r) {
  Json j;
  j.begin().begin_list("Successful");
  for (const auto& [id, result] : r.successful) {
    j.begin().member("Id", id);
    write_send_result(j, result);
    j.end();
  }
  j.end_list();
  write_failed(j, r.failed);
  return j.end().take();
}

std::string encode_response(const sqs::ReceiveMessageResponse& r) {
  Json j;
  j.begin();
  if (!r.messages.empty()) {
    j.begin_list("Messages");
    for (const sqs::ReceivedMessage& m : r.messages) write_message(j, m);
    j.end_list();
  }
  return j.end().take();
}

std::string encode_response(const sqs::BatchIdsResponse& r) {
  Json j;
  j.begin().begin_list("Successful");
  for (const std::string& id : r.successful) j.begin().member("Id", id).end();
  j.end_list();
  write_failed(j, r.failed);
  return j.end().take();
}

std::string encode_response(const sqs::StartMessageMoveTaskResponse& r) {
  return Json().begin().member("TaskHandle", r.task_handle).end().take();
}

std::string encode_response(const sqs::CancelMessageMoveTaskResponse& r) {
  return Json().begin().member_int("ApproximateNumberOfMessagesMoved", r.approximate_number_of_messages_moved)
      .end().take();
}

std::string encode_response(const sqs::ListMessageMoveTasksResponse& r) {
  Json j;
  j.begin();
  if (!r.results.empty()) {
    j.begin_list("Results");
    for (const sqs::MessageMoveTask& t : r.results) write_move_task(j, t);
    j.end_list();
  }
  return j.end().take();
}

SqsAnswer encode_error(const sqs::SqsError& error) {
  const SqsErrorWire& wire = sqs_error_wire(error.code);
  SqsAnswer answer;
  answer.status = wire.http_status;
  answer.content_type = std::string(kContentType);
  answer.body = Json().begin().member("__type", wire.json_type)
                    .member("message", sqs_error_message(error, SqsProtocol::kJson)).end().take();
  answer.headers.emplace_back(std::string(kQueryErrorHeader),
                              std::string(wire.query_code) + ";" + std::string(sqs_fault_name(error.code)));
  return answer;
}

}  // namespace slipway::http::sqs_json
