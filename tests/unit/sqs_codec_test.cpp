// The SQS wire codecs without a service: Query (form -> struct, struct -> XML), JSON 1.0
// (body -> struct, struct -> JSON), error rendering and queue resolution.
#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include <string>

#include "core/digest.h"
#include "http/form.h"
#include "http/sqs_errors.h"
#include "http/sqs_json.h"
#include "http/sqs_query.h"
#include "http/sqs_request.h"

using namespace slipway;
using namespace slipway::http;
namespace q = slipway::http::sqs_query;
namespace j = slipway::http::sqs_json;
using sqs::SqsErrorCode;

namespace {

constexpr const char* kUrl = "http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq1";

FormParams form(const std::string& body) { return FormParams::parse(body); }

j::Body json(std::string_view text) {
  auto body = j::Body::parse(std::string(text));
  REQUIRE(body.ok());
  return std::move(body).value();
}

template <typename T>
T ok(sqs::SqsResult<T> r) {
  if (!r.ok()) FAIL("unexpected error: " << r.error().message);
  return std::move(r).value();
}

template <typename T>
sqs::SqsError err(const sqs::SqsResult<T>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error();
}

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

const std::string kXmlns = "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"";

}  // namespace

// ===================================================================================== Query decode

TEST_CASE("query decode: CreateQueue with attributes and tags (botocore shape)") {
  auto req = ok(q::decode_create_queue(form(
      "Action=CreateQueue&Version=2012-11-05&QueueName=jobs.fifo&Attribute.1.Name=FifoQueue&"
      "Attribute.1.Value=true&Attribute.2.Name=RedrivePolicy&Attribute.2.Value=%7B%22maxReceiveCount%22%3A3%7D&"
      "Tag.1.Key=team&Tag.1.Value=core&Tag.2.Key=empty&Tag.2.Value=")));
  CHECK(req.queue_name == "jobs.fifo");
  CHECK(req.attributes == std::map<std::string, std::string>{{"FifoQueue", "true"},
                                                             {"RedrivePolicy", "{\"maxReceiveCount\":3}"}});
  CHECK(req.tags == std::map<std::string, std::string>{{"team", "core"}, {"empty", ""}});
}

TEST_CASE("query decode: GetQueueUrl, ListQueues") {
  auto url = ok(q::decode_get_queue_url(form("Action=GetQueueUrl&QueueName=q1&QueueOwnerAWSAccountId=000000000000")));
  CHECK(url.queue_name == "q1");
  CHECK(url.queue_owner_account_id == std::optional<std::string>("000000000000"));
  auto list = ok(q::decode_list_queues(form("Action=ListQueues&QueueNamePrefix=q&MaxResults=5&NextToken=abc")));
  CHECK(list.queue_name_prefix == std::optional<std::string>("q"));
  CHECK(list.max_results == std::optional<int>(5));
  CHECK(list.next_token == std::optional<std::string>("abc"));
  auto bare = ok(q::decode_list_queues(form("Action=ListQueues&Version=2012-11-05")));
  CHECK_FALSE(bare.queue_name_prefix.has_value());
  CHECK_FALSE(bare.max_results.has_value());
}

TEST_CASE("query decode: DeleteQueue, PurgeQueue, ListQueueTags need only the queue") {
  const std::string body = std::string("Action=DeleteQueue&QueueUrl=") + kUrl;
  CHECK(ok(q::decode_delete_queue(form(body))).queue.name.empty());  // the gate fills the queue
  CHECK(q::decode_purge_queue(form(body)).ok());
  CHECK(q::decode_list_queue_tags(form(body)).ok());
}

TEST_CASE("query decode: GetQueueAttributes and SetQueueAttributes") {
  auto get = ok(q::decode_get_queue_attributes(
      form("Action=GetQueueAttributes&AttributeName.1=All&AttributeName.2=QueueArn")));
  CHECK(get.attribute_names == std::vector<std::string>{"All", "QueueArn"});
  auto set = ok(q::decode_set_queue_attributes(
      form("Action=SetQueueAttributes&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=60&"
           "Attribute.2.Name=RedrivePolicy&Attribute.2.Value=")));
  CHECK(set.attributes == std::map<std::string, std::string>{{"VisibilityTimeout", "60"}, {"RedrivePolicy", ""}});
}

TEST_CASE("query decode: TagQueue, UntagQueue, ListDeadLetterSourceQueues") {
  auto tag = ok(q::decode_tag_queue(form("Action=TagQueue&Tag.1.Key=a&Tag.1.Value=1&Tag.2.Key=b&Tag.2.Value=2")));
  CHECK(tag.tags == std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}});
  auto untag = ok(q::decode_untag_queue(form("Action=UntagQueue&TagKey.1=a&TagKey.2=b")));
  CHECK(untag.tag_keys == std::vector<std::string>{"a", "b"});
  auto dlq = ok(q::decode_list_dead_letter_source_queues(
      form("Action=ListDeadLetterSourceQueues&MaxResults=10&NextToken=t")));
  CHECK(dlq.max_results == std::optional<int>(10));
  CHECK(dlq.next_token == std::optional<std::string>("t"));
}

TEST_CASE("query decode: AddPermission and RemovePermission") {
  auto add = ok(q::decode_add_permission(
      form("Action=AddPermission&Label=l1&AWSAccountId.1=111111111111&AWSAccountId.2=222222222222&"
           "ActionName.1=SendMessage&ActionName.2=ReceiveMessage")));
  CHECK(add.label == "l1");
  CHECK(add.aws_account_ids == std::vector<std::string>{"111111111111", "222222222222"});
  CHECK(add.actions == std::vector<std::string>{"SendMessage", "ReceiveMessage"});
  CHECK(ok(q::decode_remove_permission(form("Action=RemovePermission&Label=l1"))).label == "l1");
}

TEST_CASE("query decode: SendMessage with string, number, binary and system attributes") {
  const std::string b64 = core::base64_encode("Hello binary world!");
  auto req = ok(q::decode_send_message(form(
      "Action=SendMessage&MessageBody=line1%0D%0Aline2+%2B&DelaySeconds=5&MessageGroupId=g&"
      "MessageDeduplicationId=d&MessageAttribute.1.Name=s&MessageAttribute.1.Value.DataType=String&"
      "MessageAttribute.1.Value.StringValue=v&MessageAttribute.2.Name=n&"
      "MessageAttribute.2.Value.DataType=Number.float&MessageAttribute.2.Value.StringValue=1.5&"
      "MessageAttribute.3.Name=b&MessageAttribute.3.Value.DataType=Binary&MessageAttribute.3.Value.BinaryValue=" +
      url_decode(b64) /* no '+' or '/' in this one */ +
      "&MessageSystemAttribute.1.Name=AWSTraceHeader&MessageSystemAttribute.1.Value.DataType=String&"
      "MessageSystemAttribute.1.Value.StringValue=Root%3D1-abc")));
  const auto& e = req.entry;
  CHECK(e.message_body == "line1\r\nline2 +");
  CHECK(e.delay_seconds == std::optional<int>(5));
  CHECK(e.message_group_id == std::optional<std::string>("g"));
  CHECK(e.message_deduplication_id == std::optional<std::string>("d"));
  REQUIRE(e.message_attributes.size() == 3);
  CHECK(e.message_attributes.at("s").data_type == "String");
  CHECK(e.message_attributes.at("s").string_value == "v");
  CHECK(e.message_attributes.at("n").data_type == "Number.float");
  CHECK(e.message_attributes.at("n").string_value == "1.5");
  CHECK(e.message_attributes.at("b").binary_value == "Hello binary world!");
  REQUIRE(e.message_system_attributes.count("AWSTraceHeader") == 1);
  CHECK(e.message_system_attributes.at("AWSTraceHeader").string_value == "Root=1-abc");
}

TEST_CASE("query decode: binary attribute values with '+' and '/' survive form encoding") {
  std::string raw;
  for (int i = 0; i < 256; ++i) raw.push_back(static_cast<char>(i));
  const std::string b64 = core::base64_encode(raw);
  REQUIRE(b64.find('+') != std::string::npos);
  std::string encoded;
  for (char c : b64) encoded += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
  auto req = ok(q::decode_send_message(form(
      "Action=SendMessage&MessageBody=x&MessageAttribute.1.Name=b&MessageAttribute.1.Value.DataType=Binary&"
      "MessageAttribute.1.Value.BinaryValue=" + encoded)));
  CHECK(req.entry.message_attributes.at("b").binary_value == raw);
}

TEST_CASE("query decode: SendMessageBatch entries in index order") {
  auto req = ok(q::decode_send_message_batch(form(
      "Action=SendMessageBatch&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two&"
      "SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one&"
      "SendMessageBatchRequestEntry.1.DelaySeconds=3&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=k&"
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String&"
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v&"
      "SendMessageBatchRequestEntry.2.MessageGroupId=g")));
  REQUIRE(req.entries.size() == 2);
  CHECK(req.entries[0].id == "a");
  CHECK(req.entries[0].message_body == "one");
  CHECK(req.entries[0].delay_seconds == std::optional<int>(3));
  CHECK(req.entries[0].message_attributes.at("k").string_value == "v");
  CHECK(req.entries[1].id == "b");
  CHECK(req.entries[1].message_group_id == std::optional<std::string>("g"));
  CHECK(req.entries[1].message_attributes.empty());
  CHECK(ok(q::decode_send_message_batch(form("Action=SendMessageBatch"))).entries.empty());
}

TEST_CASE("query decode: ReceiveMessage, AttributeName.N feeds the system attribute names") {
  auto req = ok(q::decode_receive_message(form(
      "Action=ReceiveMessage&MaxNumberOfMessages=10&VisibilityTimeout=0&WaitTimeSeconds=20&"
      "AttributeName.1=SentTimestamp&AttributeName.2=ApproximateReceiveCount&"
      "MessageAttributeName.1=All&MessageAttributeName.2=Hel.*&ReceiveRequestAttemptId=r1")));
  CHECK(req.max_number_of_messages == std::optional<int>(10));
  CHECK(req.visibility_timeout == std::optional<int>(0));
  CHECK(req.wait_time_seconds == std::optional<int>(20));
  CHECK(req.message_system_attribute_names == std::vector<std::string>{"SentTimestamp", "ApproximateReceiveCount"});
  CHECK(req.message_attribute_names == std::vector<std::string>{"All", "Hel.*"});
  CHECK(req.receive_request_attempt_id == std::optional<std::string>("r1"));
}

TEST_CASE("query decode: ReceiveMessage accepts a bare MessageAttributeName and ignores bare empty lists") {
  auto req = ok(q::decode_receive_message(form("Action=ReceiveMessage&MessageAttributeName=foo&AttributeName=")));
  CHECK(req.message_attribute_names == std::vector<std::string>{"foo"});
  CHECK(req.message_system_attribute_names.empty());
  auto neg = ok(q::decode_receive_message(form("Action=ReceiveMessage&WaitTimeSeconds=-1")));
  CHECK(neg.wait_time_seconds == std::optional<int>(-1));  // the service words the range error
}

TEST_CASE("query decode: DeleteMessage, DeleteMessageBatch") {
  CHECK(ok(q::decode_delete_message(form("Action=DeleteMessage&ReceiptHandle=AQEB%2Babc%3D"))).receipt_handle ==
        "AQEB+abc=");
  auto batch = ok(q::decode_delete_message_batch(form(
      "Action=DeleteMessageBatch&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=h1&"
      "DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=h2")));
  REQUIRE(batch.entries.size() == 2);
  CHECK(batch.entries[1].id == "b");
  CHECK(batch.entries[1].receipt_handle == "h2");
}

TEST_CASE("query decode: ChangeMessageVisibility and its batch") {
  auto one = ok(q::decode_change_message_visibility(
      form("Action=ChangeMessageVisibility&ReceiptHandle=h&VisibilityTimeout=43200")));
  CHECK(one.receipt_handle == "h");
  CHECK(one.visibility_timeout == 43200);
  auto batch = ok(q::decode_change_message_visibility_batch(form(
      "Action=ChangeMessageVisibilityBatch&ChangeMessageVisibilityBatchRequestEntry.1.Id=a&"
      "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=h1&"
      "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=30&"
      "ChangeMessageVisibilityBatchRequestEntry.2.Id=b&ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle=h2")));
  REQUIRE(batch.entries.size() == 2);
  CHECK(batch.entries[0].visibility_timeout == 30);
  CHECK(batch.entries[1].visibility_timeout == 0);
}

TEST_CASE("query decode: message move tasks") {
  auto start = ok(q::decode_start_message_move_task(
      form("Action=StartMessageMoveTask&SourceArn=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Adlq&"
           "MaxNumberOfMessagesPerSecond=50")));
  CHECK(start.source_arn == "arn:aws:sqs:us-east-1:000000000000:dlq");
  CHECK_FALSE(start.destination_arn.has_value());
  CHECK(start.max_number_of_messages_per_second == std::optional<int>(50));
  CHECK(ok(q::decode_cancel_message_move_task(form("Action=CancelMessageMoveTask&TaskHandle=th"))).task_handle == "th");
  auto list = ok(q::decode_list_message_move_tasks(form("Action=ListMessageMoveTasks&SourceArn=a&MaxResults=10")));
  CHECK(list.source_arn == "a");
  CHECK(list.max_results == std::optional<int>(10));
}

TEST_CASE("query decode: missing required parameters") {
  CHECK(err(q::decode_send_message(form("Action=SendMessage"))).message ==
        "The request must contain the parameter MessageBody.");
  auto empty = err(q::decode_send_message(form("Action=SendMessage&MessageBody=")));
  CHECK(empty.code == SqsErrorCode::kMissingParameter);
  CHECK(empty.message == "The request must contain the parameter MessageBody.");
  CHECK(err(q::decode_create_queue(form("Action=CreateQueue"))).message ==
        "The request must contain the parameter QueueName.");
  CHECK(err(q::decode_get_queue_url(form("Action=GetQueueUrl"))).code == SqsErrorCode::kMissingParameter);
  CHECK(err(q::decode_delete_message(form("Action=DeleteMessage"))).message ==
        "The request must contain the parameter ReceiptHandle.");
  CHECK(err(q::decode_change_message_visibility(form("Action=ChangeMessageVisibility&ReceiptHandle=h"))).message ==
        "The request must contain the parameter VisibilityTimeout.");
  CHECK(err(q::decode_add_permission(form("Action=AddPermission"))).message ==
        "The request must contain the parameter Label.");
  CHECK(err(q::decode_remove_permission(form("Action=RemovePermission"))).code == SqsErrorCode::kMissingParameter);
  CHECK(err(q::decode_start_message_move_task(form("Action=StartMessageMoveTask"))).message ==
        "The request must contain the parameter SourceArn.");
  CHECK(err(q::decode_cancel_message_move_task(form("Action=CancelMessageMoveTask"))).code ==
        SqsErrorCode::kMissingParameter);
  CHECK(err(q::decode_list_message_move_tasks(form("Action=ListMessageMoveTasks"))).code ==
        SqsErrorCode::kMissingParameter);
  CHECK(err(q::decode_send_message_batch(form("SendMessageBatchRequestEntry.1.MessageBody=x"))).message ==
        "The request must contain the parameter SendMessageBatchRequestEntry.1.Id.");
  CHECK(err(q::decode_delete_message_batch(form("DeleteMessageBatchRequestEntry.1.Id=a"))).message ==
        "The request must contain the parameter DeleteMessageBatchRequestEntry.1.ReceiptHandle.");
  CHECK(err(q::decode_create_queue(form("QueueName=q&Attribute.1.Value=1"))).message ==
        "The request must contain the parameter Attribute.1.Name.");
  CHECK(err(q::decode_send_message(form("MessageBody=x&MessageAttribute.1.Value.StringValue=v"))).message ==
        "The request must contain the parameter MessageAttribute.1.Name.");
}

TEST_CASE("query decode: malformed numbers and base64 are InvalidParameterValue") {
  auto e = err(q::decode_send_message(form("MessageBody=x&DelaySeconds=abc")));
  CHECK(e.code == SqsErrorCode::kInvalidParameterValue);
  CHECK(e.message == "Value abc for parameter DelaySeconds is invalid. Reason: Must be an integer.");
  CHECK(err(q::decode_receive_message(form("MaxNumberOfMessages=1.5"))).code == SqsErrorCode::kInvalidParameterValue);
  CHECK(err(q::decode_receive_message(form("WaitTimeSeconds="))).code == SqsErrorCode::kInvalidParameterValue);
  CHECK(err(q::decode_list_queues(form("MaxResults=99999999999"))).code == SqsErrorCode::kInvalidParameterValue);
  CHECK(err(q::decode_change_message_visibility(form("ReceiptHandle=h&VisibilityTimeout=1x"))).code ==
        SqsErrorCode::kInvalidParameterValue);
  auto b = err(q::decode_send_message(form(
      "MessageBody=x&MessageAttribute.1.Name=b&MessageAttribute.1.Value.DataType=Binary&"
      "MessageAttribute.1.Value.BinaryValue=!!!")));
  CHECK(b.code == SqsErrorCode::kInvalidParameterValue);
  CHECK(b.message.find("MessageAttribute.1.Value.BinaryValue") != std::string::npos);
}

// ====================================================================================== JSON decode

TEST_CASE("json decode: CreateQueue uses lowercase tags") {
  auto req = ok(j::decode_create_queue(json(
      R"({"QueueName":"q1","Attributes":{"DelaySeconds":"5","VisibilityTimeout":"60"},"tags":{"team":"core"}})")));
  CHECK(req.queue_name == "q1");
  CHECK(req.attributes == std::map<std::string, std::string>{{"DelaySeconds", "5"}, {"VisibilityTimeout", "60"}});
  CHECK(req.tags == std::map<std::string, std::string>{{"team", "core"}});
  // "Tags" (capitalised) is not CreateQueue's member.
  CHECK(ok(j::decode_create_queue(json(R"({"QueueName":"q1","Tags":{"a":"b"}})"))).tags.empty());
}

TEST_CASE("json decode: GetQueueUrl, ListQueues (an empty body is {})") {
  auto url = ok(j::decode_get_queue_url(json(R"({"QueueName":"q1","QueueOwnerAWSAccountId":"000000000000"})")));
  CHECK(url.queue_name == "q1");
  CHECK(url.queue_owner_account_id == std::optional<std::string>("000000000000"));
  auto list = ok(j::decode_list_queues(json(R"({"QueueNamePrefix":"q","MaxResults":1000,"NextToken":"t"})")));
  CHECK(list.queue_name_prefix == std::optional<std::string>("q"));
  CHECK(list.max_results == std::optional<int>(1000));
  CHECK(list.next_token == std::optional<std::string>("t"));
  CHECK_FALSE(ok(j::decode_list_queues(json(""))).max_results.has_value());
  CHECK_FALSE(ok(j::decode_list_queues(json("{}"))).queue_name_prefix.has_value());
}

TEST_CASE("json decode: queue-only actions and the QueueUrl member") {
  auto body = json(R"({"QueueUrl":"http://localhost:4566/000000000000/q1"})");
  REQUIRE(body.queue_url() != nullptr);
  CHECK(*body.queue_url() == "http://localhost:4566/000000000000/q1");
  CHECK(j::decode_delete_queue(body).ok());
  CHECK(j::decode_purge_queue(body).ok());
  CHECK(j::decode_list_queue_tags(body).ok());
  CHECK(json(R"({"QueueUrl":5})").queue_url() == nullptr);
}

TEST_CASE("json decode: GetQueueAttributes, SetQueueAttributes, TagQueue, UntagQueue") {
  CHECK(ok(j::decode_get_queue_attributes(json(R"({"QueueUrl":"u","AttributeNames":["All"]})"))).attribute_names ==
        std::vector<std::string>{"All"});
  CHECK(ok(j::decode_set_queue_attributes(json(R"({"QueueUrl":"u","Attributes":{"Policy":""}})"))).attributes ==
        std::map<std::string, std::string>{{"Policy", ""}});
  CHECK(ok(j::decode_tag_queue(json(R"({"QueueUrl":"u","Tags":{"a":"1"}})"))).tags ==
        std::map<std::string, std::string>{{"a", "1"}});
  CHECK(ok(j::decode_untag_queue(json(R"({"QueueUrl":"u","TagKeys":["a","b"]})"))).tag_keys ==
        std::vector<std::string>{"a", "b"});
}

TEST_CASE("json decode: ListDeadLetterSourceQueues, AddPermission, RemovePermission") {
  auto dlq = ok(j::decode_list_dead_letter_source_queues(json(R"({"QueueUrl":"u","MaxResults":2,"NextToken":"n"})")));
  CHECK(dlq.max_results == std::optional<int>(2));
  CHECK(dlq.next_token == std::optional<std::string>("n"));
  auto add = ok(j::decode_add_permission(
      json(R"({"QueueUrl":"u","Label":"l","AWSAccountIds":["111111111111"],"Actions":["*"]})")));
  CHECK(add.label == "l");
  CHECK(add.aws_account_ids == std::vector<std::string>{"111111111111"});
  CHECK(add.actions == std::vector<std::string>{"*"});
  CHECK(ok(j::decode_remove_permission(json(R"({"QueueUrl":"u","Label":"l"})"))).label == "l");
}

TEST_CASE("json decode: SendMessage with attributes (JS v3 shape), binary base64 -> raw") {
  auto req = ok(j::decode_send_message(json(
      R"({"QueueUrl":"u","MessageBody":"a\r\nb","DelaySeconds":0,"MessageGroupId":null,)"
      R"("MessageAttributes":{"s":{"DataType":"String","StringValue":"v"},)"
      R"("b":{"DataType":"Binary","BinaryValue":"SGVsbG8gYmluYXJ5IHdvcmxkIQ=="}},)"
      R"("MessageSystemAttributes":{"AWSTraceHeader":{"DataType":"String","StringValue":"Root=1-x"}}})")));
  CHECK(req.entry.message_body == "a\r\nb");
  CHECK(req.entry.delay_seconds == std::optional<int>(0));
  CHECK_FALSE(req.entry.message_group_id.has_value());  // null is absent
  CHECK(req.entry.message_attributes.at("s").string_value == "v");
  CHECK(req.entry.message_attributes.at("b").data_type == "Binary");
  CHECK(req.entry.message_attributes.at("b").binary_value == "Hello binary world!");
  CHECK(req.entry.message_system_attributes.at("AWSTraceHeader").string_value == "Root=1-x");
}

TEST_CASE("json decode: SendMessageBatch") {
  auto req = ok(j::decode_send_message_batch(json(
      R"({"QueueUrl":"u","Entries":[{"Id":"a","MessageBody":"one","MessageGroupId":"g",)"
      R"("MessageDeduplicationId":"d"},{"Id":"b","MessageBody":"two","DelaySeconds":"7"}]})")));
  REQUIRE(req.entries.size() == 2);
  CHECK(req.entries[0].id == "a");
  CHECK(req.entries[0].message_group_id == std::optional<std::string>("g"));
  CHECK(req.entries[0].message_deduplication_id == std::optional<std::string>("d"));
  CHECK(req.entries[1].delay_seconds == std::optional<int>(7));  // numeric strings tolerated
}

TEST_CASE("json decode: ReceiveMessage merges AttributeNames and MessageSystemAttributeNames") {
  auto req = ok(j::decode_receive_message(json(
      R"({"QueueUrl":"u","AttributeNames":["SentTimestamp","All"],)"
      R"("MessageSystemAttributeNames":["All","SequenceNumber"],"MessageAttributeNames":[".*"],)"
      R"("MaxNumberOfMessages":10,"WaitTimeSeconds":20,"VisibilityTimeout":30,"ReceiveRequestAttemptId":"r"})")));
  CHECK(req.message_system_attribute_names ==
        std::vector<std::string>{"SentTimestamp", "All", "SequenceNumber"});
  CHECK(req.message_attribute_names == std::vector<std::string>{".*"});
  CHECK(req.max_number_of_messages == std::optional<int>(10));
  CHECK(req.wait_time_seconds == std::optional<int>(20));
  CHECK(req.visibility_timeout == std::optional<int>(30));
  CHECK(req.receive_request_attempt_id == std::optional<std::string>("r"));
  // sqs-consumer's default: MessageSystemAttributeNames [] alongside AttributeNames.
  auto consumer = ok(j::decode_receive_message(json(
      R"({"QueueUrl":"u","AttributeNames":[],"MessageAttributeNames":[],"MessageSystemAttributeNames":[],)"
      R"("MaxNumberOfMessages":1,"WaitTimeSeconds":20,"VisibilityTimeout":30})")));
  CHECK(consumer.message_system_attribute_names.empty());
}

TEST_CASE("json decode: DeleteMessage, DeleteMessageBatch, ChangeMessageVisibility(Batch)") {
  CHECK(ok(j::decode_delete_message(json(R"({"QueueUrl":"u","ReceiptHandle":"h"})"))).receipt_handle == "h");
  auto del = ok(j::decode_delete_message_batch(
      json(R"({"QueueUrl":"u","Entries":[{"Id":"a","ReceiptHandle":"h1"},{"Id":"b","ReceiptHandle":"h2"}]})")));
  REQUIRE(del.entries.size() == 2);
  CHECK(del.entries[1].receipt_handle == "h2");
  auto cmv = ok(j::decode_change_message_visibility(json(R"({"QueueUrl":"u","ReceiptHandle":"h","VisibilityTimeout":0})")));
  CHECK(cmv.visibility_timeout == 0);
  auto batch = ok(j::decode_change_message_visibility_batch(
      json(R"({"QueueUrl":"u","Entries":[{"Id":"a","ReceiptHandle":"h1","VisibilityTimeout":45},{"Id":"b","ReceiptHandle":"h2"}]})")));
  REQUIRE(batch.entries.size() == 2);
  CHECK(batch.entries[0].visibility_timeout == 45);
  CHECK(batch.entries[1].visibility_timeout == 0);
}

TEST_CASE("json decode: message move tasks") {
  auto start = ok(j::decode_start_message_move_task(
      json(R"({"SourceArn":"arn:s","DestinationArn":"arn:d","MaxNumberOfMessagesPerSecond":500})")));
  CHECK(start.source_arn == "arn:s");
  CHECK(start.destination_arn == std::optional<std::string>("arn:d"));
  CHECK(start.max_number_of_messages_per_second == std::optional<int>(500));
  CHECK(ok(j::decode_cancel_message_move_task(json(R"({"TaskHandle":"th"})"))).task_handle == "th");
  auto list = ok(j::decode_list_message_move_tasks(json(R"({"SourceArn":"arn:s","MaxResults":1})")));
  CHECK(list.max_results == std::optional<int>(1));
}

TEST_CASE("json decode: missing required parameters") {
  CHECK(err(j::decode_send_message(json(R"({"QueueUrl":"u"})"))).message ==
        "The request must contain the parameter MessageBody.");
  CHECK(err(j::decode_send_message(json(R"({"QueueUrl":"u","MessageBody":""})"))).code ==
        SqsErrorCode::kMissingParameter);
  CHECK(err(j::decode_create_queue(json("{}"))).message == "The request must contain the parameter QueueName.");
  CHECK(err(j::decode_get_queue_url(json("{}"))).code == SqsErrorCode::kMissingParameter);
  CHECK(err(j::decode_delete_message(json("{}"))).message == "The request must contain the parameter ReceiptHandle.");
  CHECK(err(j::decode_change_message_visibility(json(R"({"ReceiptHandle":"h"})"))).message ==
        "The request must contain the parameter VisibilityTimeout.");
  CHECK(err(j::decode_send_message_batch(json(R"({"Entries":[{"Id":"a","MessageBody":"x"},{"MessageBody":"y"}]})")))
            .message == "The request must contain the parameter Entries.2.Id.");
  CHECK(err(j::decode_change_message_visibility_batch(json(R"({"Entries":[{"Id":"a"}]})"))).message ==
        "The request must contain the parameter Entries.1.ReceiptHandle.");
  CHECK(err(j::decode_add_permission(json("{}"))).code == SqsErrorCode::kMissingParameter);
  CHECK(err(j::decode_remove_permission(json("{}"))).code == SqsErrorCode::kMissingParameter);
  CHECK(err(j::decode_start_message_move_task(json("{}"))).code == SqsErrorCode::kMissingParameter);
  CHECK(err(j::decode_cancel_message_move_task(json("{}"))).code == SqsErrorCode::kMissingParameter);
  CHECK(err(j::decode_list_message_move_tasks(json("{}"))).code == SqsErrorCode::kMissingParameter);
}

TEST_CASE("json decode: wrong types and malformed values are InvalidParameterValue") {
  const auto invalid = SqsErrorCode::kInvalidParameterValue;
  CHECK(err(j::decode_create_queue(json(R"({"QueueName":5})"))).code == invalid);
  CHECK(err(j::decode_receive_message(json(R"({"MaxNumberOfMessages":1.5})"))).code == invalid);
  CHECK(err(j::decode_receive_message(json(R"({"MaxNumberOfMessages":"ten"})"))).message ==
        "Value ten for parameter MaxNumberOfMessages is invalid. Reason: Must be an integer.");
  CHECK(err(j::decode_receive_message(json(R"({"MaxNumberOfMessages":99999999999})"))).code == invalid);
  CHECK(err(j::decode_get_queue_attributes(json(R"({"AttributeNames":"All"})"))).code == invalid);
  CHECK(err(j::decode_get_queue_attributes(json(R"({"AttributeNames":[1]})"))).code == invalid);
  CHECK(err(j::decode_set_queue_attributes(json(R"({"Attributes":{"DelaySeconds":5}})"))).code == invalid);
  CHECK(err(j::decode_send_message_batch(json(R"({"Entries":{}})"))).code == invalid);
  CHECK(err(j::decode_send_message_batch(json(R"({"Entries":["x"]})"))).code == invalid);
  CHECK(err(j::decode_send_message(json(R"({"MessageBody":"x","MessageAttributes":{"a":"b"}})"))).code == invalid);
  auto b64 = err(j::decode_send_message(
      json(R"({"MessageBody":"x","MessageAttributes":{"a":{"DataType":"Binary","BinaryValue":"%%"}}})")));
  CHECK(b64.code == invalid);
  CHECK(b64.message.find("MessageAttributes.a.BinaryValue") != std::string::npos);
}

TEST_CASE("json decode: a body that is not a JSON object is InvalidParameterValue, never a crash") {
  for (const char* bad : {"{", "not json", "[]", "\"s\"", "42", "{\"a\":1} trailing", "{\"a\":\"\xff\"}"}) {
    auto r = j::Body::parse(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == SqsErrorCode::kInvalidParameterValue);
  }
  // A raw NUL is never valid JSON, even after a complete document.
  for (const std::string& nul : {std::string("{\"a\":1}\0", 8), std::string("{\"a\":\"x\0y\"}", 12)}) {
    auto r = j::Body::parse(nul);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == SqsErrorCode::kInvalidParameterValue);
  }
  std::string deep(200000, '[');  // iterative parsing: no stack overflow
  CHECK_FALSE(j::Body::parse(deep).ok());
  CHECK(j::Body::parse("  \n ").ok());
}

// ===================================================================================== Query encode

TEST_CASE("query encode: exact documents for CreateQueue, a void action and an empty receive") {
  CHECK(q::encode_response("CreateQueue", sqs::CreateQueueResponse{"http://localhost:4566/000000000000/q1"}, "rid-1") ==
        "<CreateQueueResponse " + kXmlns +
            "><CreateQueueResult><QueueUrl>http://localhost:4566/000000000000/q1</QueueUrl></CreateQueueResult>"
            "<ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata></CreateQueueResponse>");
  CHECK(q::encode_response("DeleteQueue", sqs::EmptyResponse{}, "rid-2") ==
        "<DeleteQueueResponse " + kXmlns +
            "><ResponseMetadata><RequestId>rid-2</RequestId></ResponseMetadata></DeleteQueueResponse>");
  CHECK(q::encode_response("ReceiveMessage", sqs::ReceiveMessageResponse{}, "rid-3") ==
        "<ReceiveMessageResponse " + kXmlns +
            "><ReceiveMessageResult/><ResponseMetadata><RequestId>rid-3</RequestId></ResponseMetadata>"
            "</ReceiveMessageResponse>");
}

TEST_CASE("query encode: ReceiveMessage with attributes, binary values and a CR in the body") {
  sqs::ReceivedMessage m;
  m.message_id = "m1";
  m.receipt_handle = "AQEB+h/=";
  m.md5_of_body = "md5";
  m.body = "<a href=\"x\">\r\n&";
  m.attributes = {{"SentTimestamp", "1700000000000"}, {"ApproximateReceiveCount", "1"}};
  m.message_attributes["bin"] = {"Binary", "", "Hello binary world!"};
  m.message_attributes["str"] = {"String", "v", ""};
  m.md5_of_message_attributes = "amd5";
  const std::string xml = q::encode_response("ReceiveMessage", sqs::ReceiveMessageResponse{{m}}, "r");
  CHECK(xml ==
        "<ReceiveMessageResponse " + kXmlns + "><ReceiveMessageResult><Message><MessageId>m1</MessageId>"
        "<ReceiptHandle>AQEB+h/=</ReceiptHandle><MD5OfBody>md5</MD5OfBody>"
        "<Body>&lt;a href=&quot;x&quot;&gt;&#xD;\n&amp;</Body>"
        "<Attribute><Name>SentTimestamp</Name><Value>1700000000000</Value></Attribute>"
        "<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>"
        "<MD5OfMessageAttributes>amd5</MD5OfMessageAttributes>"
        "<MessageAttribute><Name>bin</Name><Value><BinaryValue>SGVsbG8gYmluYXJ5IHdvcmxkIQ==</BinaryValue>"
        "<DataType>Binary</DataType></Value></MessageAttribute>"
        "<MessageAttribute><Name>str</Name><Value><StringValue>v</StringValue><DataType>String</DataType></Value>"
        "</MessageAttribute></Message></ReceiveMessageResult>"
        "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ReceiveMessageResponse>");
}

TEST_CASE("query encode: a message without message attributes has no MD5OfMessageAttributes") {
  sqs::ReceivedMessage m{"m", "h", "md5", "b", {}, {}, ""};
  const std::string xml = q::encode_response("ReceiveMessage", sqs::ReceiveMessageResponse{{m, m}}, "r");
  CHECK(xml.find("MD5OfMessageAttributes") == std::string::npos);
  CHECK(xml.find("<Attribute>") == std::string::npos);
  CHECK(xml.find("</Message><Message>") != std::string::npos);
}

TEST_CASE("query encode: SendMessage and SendMessageBatch") {
  sqs::SendMessageResult r{"id1", "bmd5", "amd5", "", "18"};
  CHECK(q::encode_response("SendMessage", r, "x") ==
        "<SendMessageResponse " + kXmlns + "><SendMessageResult><MessageId>id1</MessageId>"
        "<MD5OfMessageBody>bmd5</MD5OfMessageBody><MD5OfMessageAttributes>amd5</MD5OfMessageAttributes>"
        "<SequenceNumber>18</SequenceNumber></SendMessageResult>"
        "<ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></SendMessageResponse>");
  sqs::SendMessageBatchResponse batch;
  batch.successful.push_back({"a", sqs::SendMessageResult{"id1", "bmd5", "", "", ""}});
  batch.failed.push_back({"b", sqs::sqs_error(SqsErrorCode::kInvalidMessageContents, "bad chars")});
  const std::string xml = q::encode_response("SendMessageBatch", batch, "x");
  CHECK(xml.find("<SendMessageBatchResultEntry><Id>a</Id><MessageId>id1</MessageId>"
                 "<MD5OfMessageBody>bmd5</MD5OfMessageBody></SendMessageBatchResultEntry>") != std::string::npos);
  CHECK(xml.find("<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault>"
                 "<Code>InvalidMessageContents</Code><Message>bad chars</Message></BatchResultErrorEntry>") !=
        std::string::npos);
}

TEST_CASE("query encode: batch id results name their entries after the action") {
  sqs::BatchIdsResponse r{{"a", "b"}, {{"c", sqs::sqs_error(SqsErrorCode::kReceiptHandleIsInvalid, "no")}}};
  const std::string del = q::encode_response("DeleteMessageBatch", r, "x");
  CHECK(del.find("<DeleteMessageBatchResult><DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>"
                 "<DeleteMessageBatchResultEntry><Id>b</Id></DeleteMessageBatchResultEntry>"
                 "<BatchResultErrorEntry><Id>c</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code>") !=
        std::string::npos);
  const std::string cmv = q::encode_response("ChangeMessageVisibilityBatch", r, "x");
  CHECK(cmv.find("<ChangeMessageVisibilityBatchResultEntry><Id>a</Id></ChangeMessageVisibilityBatchResultEntry>") !=
        std::string::npos);
}

TEST_CASE("query encode: list and attribute results") {
  CHECK(q::encode_response("ListQueues", sqs::ListQueuesResponse{{"u1", "u2"}, "nt"}, "x")
            .find("<ListQueuesResult><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl><NextToken>nt</NextToken>"
                  "</ListQueuesResult>") != std::string::npos);
  CHECK(q::encode_response("ListQueues", sqs::ListQueuesResponse{}, "x").find("<ListQueuesResult/>") !=
        std::string::npos);
  CHECK(q::encode_response("GetQueueUrl", sqs::GetQueueUrlResponse{"u"}, "x")
            .find("<GetQueueUrlResult><QueueUrl>u</QueueUrl></GetQueueUrlResult>") != std::string::npos);
  sqs::GetQueueAttributesResponse attrs{{{"VisibilityTimeout", "30"}, {"Policy", "{\"a\":1}"}}};
  CHECK(q::encode_response("GetQueueAttributes", attrs, "x")
            .find("<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>"
                  "<Attribute><Name>Policy</Name><Value>{&quot;a&quot;:1}</Value></Attribute>"
                  "</GetQueueAttributesResult>") != std::string::npos);
  CHECK(q::encode_response("ListQueueTags", sqs::ListQueueTagsResponse{{{"k", "v"}}}, "x")
            .find("<ListQueueTagsResult><Tag><Key>k</Key><Value>v</Value></Tag></ListQueueTagsResult>") !=
        std::string::npos);
  CHECK(q::encode_response("ListDeadLetterSourceQueues", sqs::ListDeadLetterSourceQueuesResponse{{"s"}, {}}, "x")
            .find("<ListDeadLetterSourceQueuesResult><QueueUrl>s</QueueUrl></ListDeadLetterSourceQueuesResult>") !=
        std::string::npos);
}

TEST_CASE("query encode: message move tasks") {
  CHECK(q::encode_response("StartMessageMoveTask", sqs::StartMessageMoveTaskResponse{"th"}, "x")
            .find("<StartMessageMoveTaskResult><TaskHandle>th</TaskHandle></StartMessageMoveTaskResult>") !=
        std::string::npos);
  CHECK(q::encode_response("CancelMessageMoveTask", sqs::CancelMessageMoveTaskResponse{12}, "x")
            .find("<ApproximateNumberOfMessagesMoved>12</ApproximateNumberOfMessagesMoved>") != std::string::npos);
  sqs::MessageMoveTask t;
  t.status = "COMPLETED";
  t.source_arn = "arn:s";
  t.approximate_number_of_messages_moved = 3;
  t.approximate_number_of_messages_to_move = 3;
  t.started_timestamp_ms = 1700000000000;
  CHECK(q::encode_response("ListMessageMoveTasks", sqs::ListMessageMoveTasksResponse{{t}}, "x")
            .find("<ListMessageMoveTasksResultEntry><Status>COMPLETED</Status><SourceArn>arn:s</SourceArn>"
                  "<ApproximateNumberOfMessagesMoved>3</ApproximateNumberOfMessagesMoved>"
                  "<ApproximateNumberOfMessagesToMove>3</ApproximateNumberOfMessagesToMove>"
                  "<StartedTimestamp>1700000000000</StartedTimestamp></ListMessageMoveTasksResultEntry>") !=
        std::string::npos);
}

// ====================================================================================== JSON encode

TEST_CASE("json encode: exact bodies") {
  CHECK(j::encode_response(sqs::EmptyResponse{}) == "");
  CHECK(j::encode_response(sqs::CreateQueueResponse{"http://h/000000000000/q"}) ==
        R"({"QueueUrl":"http://h/000000000000/q"})");
  CHECK(j::encode_response(sqs::ReceiveMessageResponse{}) == "{}");
  CHECK(j::encode_response(sqs::ListQueueTagsResponse{}) == "{}");
  CHECK(j::encode_response(sqs::ListQueuesResponse{}) == "{}");
  CHECK(j::encode_response(sqs::GetQueueAttributesResponse{}) == "{}");
  CHECK(j::encode_response(sqs::ListMessageMoveTasksResponse{}) == "{}");
  CHECK(j::encode_response(sqs::ListDeadLetterSourceQueuesResponse{}) == R"({"queueUrls":[]})");
  CHECK(j::encode_response(sqs::SendMessageResult{"id", "bmd5", "", "", ""}) ==
        R"({"MessageId":"id","MD5OfMessageBody":"bmd5"})");
  CHECK(j::encode_response(sqs::BatchIdsResponse{{"a"}, {}}) == R"({"Successful":[{"Id":"a"}],"Failed":[]})");
  CHECK(j::encode_response(sqs::GetQueueAttributesResponse{{{"DelaySeconds", "0"}, {"FifoQueue", "true"}}}) ==
        R"({"Attributes":{"DelaySeconds":"0","FifoQueue":"true"}})");
  CHECK(j::encode_response(sqs::ListQueuesResponse{{"u1"}, "t"}) == R"({"QueueUrls":["u1"],"NextToken":"t"})");
  CHECK(j::encode_response(sqs::CancelMessageMoveTaskResponse{5}) == R"({"ApproximateNumberOfMessagesMoved":5})");
  CHECK(j::encode_response(sqs::StartMessageMoveTaskResponse{"th"}) == R"({"TaskHandle":"th"})");
}

TEST_CASE("json encode: ReceiveMessage message shape, binary base64, CR escaped") {
  sqs::ReceivedMessage m;
  m.message_id = "m1";
  m.receipt_handle = "h";
  m.md5_of_body = "md5";
  m.body = "a\r\n\"b\"";
  m.attributes = {{"SentTimestamp", "1700000000000"}};
  m.message_attributes["bin"] = {"Binary.gif", "", std::string("\x00\xff", 2)};
  m.message_attributes["num"] = {"Number", "42", ""};
  m.md5_of_message_attributes = "amd5";
  CHECK(j::encode_response(sqs::ReceiveMessageResponse{{m}}) ==
        R"({"Messages":[{"MessageId":"m1","ReceiptHandle":"h","MD5OfBody":"md5","Body":"a\r\n\"b\"",)"
        R"("Attributes":{"SentTimestamp":"1700000000000"},"MD5OfMessageAttributes":"amd5",)"
        R"("MessageAttributes":{"bin":{"BinaryValue":"AP8=","DataType":"Binary.gif"},)"
        R"("num":{"StringValue":"42","DataType":"Number"}}}]})");
  sqs::ReceivedMessage plain{"m2", "h2", "md5", "x", {}, {}, ""};
  CHECK(j::encode_response(sqs::ReceiveMessageResponse{{plain}}) ==
        R"({"Messages":[{"MessageId":"m2","ReceiptHandle":"h2","MD5OfBody":"md5","Body":"x"}]})");
}

TEST_CASE("json encode: binary attribute round trip through both codecs") {
  std::string raw;
  for (int i = 255; i >= 0; --i) raw.push_back(static_cast<char>(i));
  const std::string b64 = core::base64_encode(raw);
  auto sent = ok(j::decode_send_message(json(
      R"({"MessageBody":"x","MessageAttributes":{"b":{"DataType":"Binary","BinaryValue":")" + b64 + R"("}}})")));
  const sqs::AttributeValue& value = sent.entry.message_attributes.at("b");
  CHECK(value.binary_value == raw);
  sqs::ReceivedMessage m{"m", "h", "md5", "x", {}, sent.entry.message_attributes, "amd5"};
  auto out = parse_json(j::encode_response(sqs::ReceiveMessageResponse{{m}}));
  CHECK(std::string(out["Messages"][0]["MessageAttributes"]["b"]["BinaryValue"].GetString()) == b64);
  const std::string xml = q::encode_response("ReceiveMessage", sqs::ReceiveMessageResponse{{m}}, "r");
  CHECK(xml.find("<BinaryValue>" + b64 + "</BinaryValue>") != std::string::npos);
}

TEST_CASE("json encode: SendMessageBatch with successes and failures") {
  sqs::SendMessageBatchResponse batch;
  batch.successful.push_back({"a", sqs::SendMessageResult{"id1", "b1", "a1", "s1", "7"}});
  batch.failed.push_back({"b", sqs::sqs_error(SqsErrorCode::kInvalidParameterValue, "too big")});
  CHECK(j::encode_response(batch) ==
        R"({"Successful":[{"Id":"a","MessageId":"id1","MD5OfMessageBody":"b1","MD5OfMessageAttributes":"a1",)"
        R"("MD5OfMessageSystemAttributes":"s1","SequenceNumber":"7"}],)"
        R"("Failed":[{"Id":"b","SenderFault":true,"Code":"InvalidParameterValue","Message":"too big"}]})");
}

TEST_CASE("json encode: ListMessageMoveTasks entries omit absent members") {
  sqs::MessageMoveTask t;
  t.task_handle = "th";
  t.status = "RUNNING";
  t.source_arn = "arn:s";
  t.destination_arn = "arn:d";
  t.max_number_of_messages_per_second = 10;
  t.approximate_number_of_messages_moved = 1;
  t.approximate_number_of_messages_to_move = 4;
  t.started_timestamp_ms = 1700000000123;
  CHECK(j::encode_response(sqs::ListMessageMoveTasksResponse{{t}}) ==
        R"({"Results":[{"TaskHandle":"th","Status":"RUNNING","SourceArn":"arn:s","DestinationArn":"arn:d",)"
        R"("MaxNumberOfMessagesPerSecond":10,"ApproximateNumberOfMessagesMoved":1,)"
        R"("ApproximateNumberOfMessagesToMove":4,"StartedTimestamp":1700000000123}]})");
  CHECK(j::encode_response(sqs::ListQueueTagsResponse{{{"k", ""}}}) == R"({"Tags":{"k":""}})");
}

// =========================================================================================== Errors

namespace {

struct ExpectedError {
  SqsErrorCode code;
  const char* shape;  // full __type
  const char* query_code;
  int status;
  const char* fault;
};

const ExpectedError kExpected[] = {
    {SqsErrorCode::kQueueDoesNotExist, "com.amazonaws.sqs#QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400, "Sender"},
    {SqsErrorCode::kQueueAlreadyExists, "com.amazonaws.sqs#QueueNameExists", "QueueAlreadyExists", 400, "Sender"},
    {SqsErrorCode::kQueueDeletedRecently, "com.amazonaws.sqs#QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", 400, "Sender"},
    {SqsErrorCode::kPurgeQueueInProgress, "com.amazonaws.sqs#PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403, "Sender"},
    {SqsErrorCode::kEmptyBatchRequest, "com.amazonaws.sqs#EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", 400, "Sender"},
    {SqsErrorCode::kTooManyEntriesInBatchRequest, "com.amazonaws.sqs#TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400, "Sender"},
    {SqsErrorCode::kBatchEntryIdsNotDistinct, "com.amazonaws.sqs#BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400, "Sender"},
    {SqsErrorCode::kInvalidBatchEntryId, "com.amazonaws.sqs#InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", 400, "Sender"},
    {SqsErrorCode::kBatchRequestTooLong, "com.amazonaws.sqs#BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", 400, "Sender"},
    {SqsErrorCode::kMessageNotInflight, "com.amazonaws.sqs#MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", 400, "Sender"},
    {SqsErrorCode::kUnsupportedOperation, "com.amazonaws.sqs#UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", 400, "Sender"},
    {SqsErrorCode::kReceiptHandleIsInvalid, "com.amazonaws.sqs#ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 404, "Sender"},
    {SqsErrorCode::kOverLimit, "com.amazonaws.sqs#OverLimit", "OverLimit", 403, "Sender"},
    {SqsErrorCode::kResourceNotFound, "com.amazonaws.sqs#ResourceNotFoundException", "ResourceNotFoundException", 404, "Sender"},
    {SqsErrorCode::kInvalidAttributeName, "com.amazonaws.sqs#InvalidAttributeName", "InvalidAttributeName", 400, "Sender"},
    {SqsErrorCode::kInvalidAttributeValue, "com.amazonaws.sqs#InvalidAttributeValue", "InvalidAttributeValue", 400, "Sender"},
    {SqsErrorCode::kInvalidMessageContents, "com.amazonaws.sqs#InvalidMessageContents", "InvalidMessageContents", 400, "Sender"},
    {SqsErrorCode::kInvalidParameterValue, "com.amazon.coral.service#InvalidParameterValueException", "InvalidParameterValue", 400, "Sender"},
    {SqsErrorCode::kMissingParameter, "com.amazon.coral.service#MissingRequiredParameterException", "MissingParameter", 400, "Sender"},
    {SqsErrorCode::kInvalidAction, "com.amazon.coral.service#UnknownOperationException", "InvalidAction", 400, "Sender"},
    {SqsErrorCode::kInternalError, "com.amazon.coral.service#InternalFailure", "InternalFailure", 500, "Receiver"},
};

}  // namespace

TEST_CASE("errors: every code renders in both protocols") {
  CHECK(std::size(kExpected) == static_cast<size_t>(SqsErrorCode::kInternalError) + 1);
  for (const ExpectedError& e : kExpected) {
    CAPTURE(e.query_code);
    const sqs::SqsError error = sqs::sqs_error(e.code, "why <it> & \"failed\"");
    const SqsAnswer xml = q::encode_error(error, "rid");
    CHECK(xml.status == e.status);
    CHECK(xml.content_type == "text/xml");
    CHECK(xml.headers.empty());
    CHECK(xml.body.find(std::string("<Type>") + e.fault + "</Type><Code>" + e.query_code + "</Code>") !=
          std::string::npos);
    CHECK(xml.body.starts_with("<ErrorResponse " + kXmlns + "><Error>"));
    CHECK(xml.body.ends_with("<Detail/></Error><RequestId>rid</RequestId></ErrorResponse>"));

    const SqsAnswer js = j::encode_error(error);
    CHECK(js.status == e.status);
    CHECK(js.content_type == "application/x-amz-json-1.0");
    REQUIRE(js.headers.size() == 1);
    CHECK(js.headers[0].first == "x-amzn-query-error");
    CHECK(js.headers[0].second == std::string(e.query_code) + ";" + e.fault);
    auto body = parse_json(js.body);
    CHECK(std::string(body["__type"].GetString()) == e.shape);
    CHECK(body.HasMember("message"));
    CHECK(body.MemberCount() == 2);
  }
}

TEST_CASE("errors: exact bodies, and the per-protocol QueueDoesNotExist text") {
  const auto missing = sqs::sqs_error(SqsErrorCode::kQueueDoesNotExist, "whatever the core said");
  CHECK(q::encode_error(missing, "r").body ==
        "<ErrorResponse " + kXmlns + "><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"
        "<Message>The specified queue does not exist for this wsdl version.</Message><Detail/></Error>"
        "<RequestId>r</RequestId></ErrorResponse>");
  CHECK(j::encode_error(missing).body ==
        R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})");
  const auto purge = sqs::sqs_error(SqsErrorCode::kPurgeQueueInProgress,
                                    "Only one PurgeQueue operation on q1 is allowed every 60 seconds.");
  CHECK(j::encode_error(purge).body ==
        R"({"__type":"com.amazonaws.sqs#PurgeQueueInProgress","message":"Only one PurgeQueue operation on q1 is allowed every 60 seconds."})");
  CHECK(q::encode_error(sqs::sqs_error(SqsErrorCode::kInvalidParameterValue, "a \"b\"\r\n"), "r")
            .body.find("<Message>a &quot;b&quot;&#xD;\n</Message>") != std::string::npos);
}

TEST_CASE("errors: batch entry failures use the query code and the protocol's text") {
  sqs::BatchIdsResponse r{{}, {{"x", sqs::sqs_error(SqsErrorCode::kQueueDoesNotExist, "")}}};
  CHECK(j::encode_response(r).find(R"("Code":"AWS.SimpleQueueService.NonExistentQueue","Message":"The specified queue does not exist.")") !=
        std::string::npos);
  CHECK(q::encode_response("DeleteMessageBatch", r, "x").find("for this wsdl version.") != std::string::npos);
}

// ===================================================================================== Queue & gate

TEST_CASE("queue resolution: the QueueUrl parameter wins over the path") {
  const std::string param = "http://localhost:4566/000000000000/from-param";
  auto ref = ok(resolve_queue(&param, "/111111111111/from-path"));
  CHECK(ref.account_id == "000000000000");
  CHECK(ref.name == "from-param");
  auto from_path = ok(resolve_queue(nullptr, "/111111111111/from-path"));
  CHECK(from_path.account_id == "111111111111");
  CHECK(from_path.name == "from-path");
  const std::string empty;
  CHECK(ok(resolve_queue(&empty, "/111111111111/p.fifo")).name == "p.fifo");
}

TEST_CASE("queue resolution: bare names, foreign hosts, legacy paths") {
  const std::string bare = "my-queue";
  auto b = ok(resolve_queue(&bare, "/"));
  CHECK(b.account_id.empty());
  CHECK(b.name == "my-queue");
  const std::string foreign = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo";
  auto f = ok(resolve_queue(&foreign, "/"));
  CHECK(f.account_id == "123456789012");
  CHECK(f.name == "orders.fifo");
  auto path_only = parse_queue_url("/000000000000/q1/");
  REQUIRE(path_only);
  CHECK(path_only->name == "q1");
  auto elastic = parse_queue_url("http://localhost:9324/queue/q1");
  REQUIRE(elastic);
  CHECK(elastic->account_id.empty());
  CHECK(elastic->name == "q1");
  auto with_query = parse_queue_url("http://h/000000000000/q1?x=1");
  REQUIRE(with_query);
  CHECK(with_query->name == "q1");
  CHECK_FALSE(parse_queue_url("").has_value());
  CHECK_FALSE(parse_queue_url("http://localhost:4566").has_value());
}

TEST_CASE("queue resolution: nothing names a queue -> MissingParameter; an empty URL -> no such queue") {
  auto none = resolve_queue(nullptr, "/");
  CHECK(err(none).code == SqsErrorCode::kMissingParameter);
  CHECK(err(none).message == "The request must contain the parameter QueueUrl.");
  const std::string hostonly = "http://localhost:4566/";
  CHECK(err(resolve_queue(&hostonly, "/")).code == SqsErrorCode::kQueueDoesNotExist);
}

TEST_CASE("queue paths: /<12 digits>/<name> only") {
  CHECK(queue_from_path("/000000000000/q1").has_value());
  CHECK_FALSE(queue_from_path("/").has_value());
  CHECK_FALSE(queue_from_path("/00000000000/q1").has_value());  // 11 digits
  CHECK_FALSE(queue_from_path("/000000000000/q1/extra").has_value());
  CHECK_FALSE(queue_from_path("/bucket/key").has_value());
  CHECK_FALSE(queue_from_path("/000000000000/bad!name").has_value());
}

TEST_CASE("protocol detection and JSON action names") {
  CHECK(detect_sqs_protocol("AmazonSQS.SendMessage", "application/x-amz-json-1.0") == SqsProtocol::kJson);
  CHECK(detect_sqs_protocol("AmazonSQS.SendMessage", "") == SqsProtocol::kJson);
  CHECK(detect_sqs_protocol("", "application/x-amz-json-1.0") == SqsProtocol::kJson);
  CHECK(detect_sqs_protocol("", "application/x-www-form-urlencoded; charset=utf-8") == SqsProtocol::kQuery);
  CHECK(detect_sqs_protocol("", "") == SqsProtocol::kQuery);
  CHECK(json_action("AmazonSQS.ReceiveMessage") == "ReceiveMessage");
  CHECK(json_action("DynamoDB_20120810.ListTables") == "DynamoDB_20120810.ListTables");
}
