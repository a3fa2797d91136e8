#include "http/sqs_routes.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http/edge.h"
#include "http/form.h"
#include "http/sqs_errors.h"
#include "http/sqs_json.h"
#include "http/sqs_query.h"
#include "http/sqs_request.h"

namespace slipway::http {

namespace {

namespace q = sqs_query;
namespace j = sqs_json;
using sqs::SqsError;
using sqs::SqsErrorCode;
using sqs::SqsResult;
using sqs::SqsService;

// ---- One request as the gate sees it ----

struct Call {
  SqsProtocol protocol = SqsProtocol::kQuery;
  std::string action;
  FormParams form;                  // Query
  std::optional<j::Body> json;      // JSON
  sqs::QueueRef queue;              // resolved by the gate when the action needs one
  sqs::RequestContext ctx;
  std::string request_id;
};

SqsAnswer error_answer(const Call& call, const SqsError& error) {
  return call.protocol == SqsProtocol::kQuery ? q::encode_error(error, call.request_id)
                                              : j::encode_error(error);
}

// What an answer needs to know about its request once the service has run: a parked receive
// is answered in a later pass, after the request itself is gone.
struct AnswerContext {
  SqsProtocol protocol;
  std::string action;
  std::string request_id;
};

template <typename Req, typename Resp>
using Invoke = SqsResult<Resp> (SqsService::*)(const sqs::RequestContext&, const Req&);
template <typename Req, typename Resp>
using ParkedInvoke = void (SqsService::*)(const sqs::RequestContext&, const Req&,
                                          std::function<void(SqsResult<Resp>)>);

// ---- The action table ----

enum class QueueUse {
  kNone,            // the action names no queue (GetQueueUrl works on a queue path too)
  kRequired,        // QueueUrl parameter or queue path
  kNotOnQueuePath,  // queue-less, and AWS rejects it on a queue path (CreateQueue, ListQueues)
};

template <typename Req, typename Resp, typename InvokeFn>
struct Spec {
  SqsResult<Req> (*from_query)(const FormParams&);
  SqsResult<Req> (*from_json)(const j::Body&);
  InvokeFn invoke;  // Invoke<Req, Resp> or ParkedInvoke<Req, Resp>
  std::string (*to_query)(std::string_view action, const Resp&, std::string_view request_id);
  std::string (*to_json)(const Resp&);
};

using Runner = std::function<void(const Call&, SqsService&, Reply)>;

struct ActionRow {
  std::string_view name;
  QueueUse queue_use;
  Runner run;
};

Response to_response(SqsAnswer answer, const std::string& request_id) {
  Response res;
  res.status = answer.status;
  for (auto& [name, value] : answer.headers) res.headers.push_back(Header{name, std::move(value)});
  res.headers.push_back(Header{"x-amzn-RequestId", request_id});
  res.set_content(std::move(answer.body), answer.content_type);
  return res;
}

template <typename Req, typename Resp, typename InvokeFn>
Response encode(const Spec<Req, Resp, InvokeFn>& spec, const AnswerContext& ctx, const SqsResult<Resp>& result) {
  SqsAnswer answer;
  if (!result.ok()) {
    answer = ctx.protocol == SqsProtocol::kQuery ? q::encode_error(result.error(), ctx.request_id)
                                                 : j::encode_error(result.error());
  } else if (ctx.protocol == SqsProtocol::kQuery) {
    answer.content_type = std::string(q::kContentType);
    answer.body = spec.to_query(ctx.action, result.value(), ctx.request_id);
  } else {
    answer.content_type = std::string(j::kContentType);
    answer.body = spec.to_json(result.value());
  }
  return to_response(std::move(answer), ctx.request_id);
}

// Runs on the loop thread inside the request's pass; the server releases the reply after the
// pass commits. A parked receive replies from the pass that wakes or expires it.
template <typename Req, typename Resp, typename InvokeFn>
void run_action(const Spec<Req, Resp, InvokeFn>& spec, const Call& call, SqsService& service, Reply reply) {
  SqsResult<Req> decoded = call.protocol == SqsProtocol::kQuery ? spec.from_query(call.form)
                                                                : spec.from_json(*call.json);
  if (!decoded.ok()) {
    reply(to_response(error_answer(call, decoded.error()), call.request_id));
    return;
  }
  Req req = std::move(decoded).value();
  if constexpr (requires { req.queue; }) req.queue = call.queue;
  AnswerContext ctx{call.protocol, call.action, call.request_id};
  if constexpr (std::is_same_v<InvokeFn, Invoke<Req, Resp>>) {
    reply(encode(spec, ctx, (service.*spec.invoke)(call.ctx, req)));
  } else {
    (service.*spec.invoke)(call.ctx, req, [spec, ctx = std::move(ctx), reply](SqsResult<Resp> result) {
      reply(encode(spec, ctx, result));
    });
  }
}

template <typename Req, typename Resp, typename InvokeFn>
ActionRow row(std::string_view name, QueueUse queue_use, Spec<Req, Resp, InvokeFn> spec) {
  return ActionRow{name, queue_use, [spec](const Call& call, SqsService& service, Reply reply) {
                     run_action(spec, call, service, std::move(reply));
                   }};
}

template <typename Req, typename Resp>
using Plain = Spec<Req, Resp, Invoke<Req, Resp>>;

const std::vector<ActionRow>& action_table() {
  using namespace sqs;  // NOLINT: the table reads better with bare type names
  using Q = QueueUse;
  static const std::vector<ActionRow> rows = {
      row("AddPermission", Q::kRequired, Plain<AddPermissionRequest, EmptyResponse>{
          q::decode_add_permission, j::decode_add_permission, &SqsService::add_permission,
          q::encode_response, j::encode_response}),
      row("CancelMessageMoveTask", Q::kNone, Plain<CancelMessageMoveTaskRequest, CancelMessageMoveTaskResponse>{
          q::decode_cancel_message_move_task, j::decode_cancel_message_move_task,
          &SqsService::cancel_message_move_task, q::encode_response, j::encode_response}),
      row("ChangeMessageVisibility", Q::kRequired, Plain<ChangeMessageVisibilityRequest, EmptyResponse>{
          q::decode_change_message_visibility, j::decode_change_message_visibility,
          &SqsService::change_message_visibility, q::encode_response, j::encode_response}),
      row("ChangeMessageVisibilityBatch", Q::kRequired,
          Plain<ChangeMessageVisibilityBatchRequest, BatchIdsResponse>{
          q::decode_change_message_visibility_batch, j::decode_change_message_visibility_batch,
          &SqsService::change_message_visibility_batch, q::encode_response, j::encode_response}),
      row("CreateQueue", Q::kNotOnQueuePath, Plain<CreateQueueRequest, CreateQueueResponse>{
          q::decode_create_queue, j::decode_create_queue, &SqsService::create_queue,
          q::encode_response, j::encode_response}),
      row("DeleteMessage", Q::kRequired, Plain<DeleteMessageRequest, EmptyResponse>{
          q::decode_delete_message, j::decode_delete_message, &SqsService::delete_message,
          q::encode_response, j::encode_response}),
      row("DeleteMessageBatch", Q::kRequired, Plain<DeleteMessageBatchRequest, BatchIdsResponse>{
          q::decode_delete_message_batch, j::decode_delete_message_batch, &SqsService::delete_message_batch,
          q::encode_response, j::encode_response}),
      row("DeleteQueue", Q::kRequired, Plain<DeleteQueueRequest, EmptyResponse>{
          q::decode_delete_queue, j::decode_delete_queue, &SqsService::delete_queue,
          q::encode_response, j::encode_response}),
      row("GetQueueAttributes", Q::kRequired, Plain<GetQueueAttributesRequest, GetQueueAttributesResponse>{
          q::decode_get_queue_attributes, j::decode_get_queue_attributes, &SqsService::get_queue_attributes,
          q::encode_response, j::encode_response}),
      row("GetQueueUrl", Q::kNone, Plain<GetQueueUrlRequest, GetQueueUrlResponse>{
          q::decode_get_queue_url, j::decode_get_queue_url, &SqsService::get_queue_url,
          q::encode_response, j::encode_response}),
      row("ListDeadLetterSourceQueues", Q::kRequired,
          Plain<ListDeadLetterSourceQueuesRequest, ListDeadLetterSourceQueuesResponse>{
          q::decode_list_dead_letter_source_queues, j::decode_list_dead_letter_source_queues,
          &SqsService::list_dead_letter_source_queues, q::encode_response, j::encode_response}),
      row("ListMessageMoveTasks", Q::kNone, Plain<ListMessageMoveTasksRequest, ListMessageMoveTasksResponse>{
          q::decode_list_message_move_tasks, j::decode_list_message_move_tasks,
          &SqsService::list_message_move_tasks, q::encode_response, j::encode_response}),
      row("ListQueueTags", Q::kRequired, Plain<ListQueueTagsRequest, ListQueueTagsResponse>{
          q::decode_list_queue_tags, j::decode_list_queue_tags, &SqsService::list_queue_tags,
          q::encode_response, j::encode_response}),
      row("ListQueues", Q::kNotOnQueuePath, Plain<ListQueuesRequest, ListQueuesResponse>{
          q::decode_list_queues, j::decode_list_queues, &SqsService::list_queues,
          q::encode_response, j::encode_response}),
      row("PurgeQueue", Q::kRequired, Plain<PurgeQueueRequest, EmptyResponse>{
          q::decode_purge_queue, j::decode_purge_queue, &SqsService::purge_queue,
          q::encode_response, j::encode_response}),
      row("ReceiveMessage", Q::kRequired,
          Spec<ReceiveMessageRequest, ReceiveMessageResponse, ParkedInvoke<ReceiveMessageRequest, ReceiveMessageResponse>>{
          q::decode_receive_message, j::decode_receive_message, &SqsService::receive_message,
          q::encode_response, j::encode_response}),
      row("RemovePermission", Q::kRequired, Plain<RemovePermissionRequest, EmptyResponse>{
          q::decode_remove_permission, j::decode_remove_permission, &SqsService::remove_permission,
          q::encode_response, j::encode_response}),
      row("SendMessage", Q::kRequired, Plain<SendMessageRequest, SendMessageResult>{
          q::decode_send_message, j::decode_send_message, &SqsService::send_message,
          q::encode_response, j::encode_response}),
      row("SendMessageBatch", Q::kRequired, Plain<SendMessageBatchRequest, SendMessageBatchResponse>{
          q::decode_send_message_batch, j::decode_send_message_batch, &SqsService::send_message_batch,
          q::encode_response, j::encode_response}),
      row("SetQueueAttributes", Q::kRequired, Plain<SetQueueAttributesRequest, EmptyResponse>{
          q::decode_set_queue_attributes, j::decode_set_queue_attributes, &SqsService::set_queue_attributes,
          q::encode_response, j::encode_response}),
      row("StartMessageMoveTask", Q::kNone, Plain<StartMessageMoveTaskRequest, StartMessageMoveTaskResponse>{
          q::decode_start_message_move_task, j::decode_start_message_move_task,
          &SqsService::start_message_move_task, q::encode_response, j::encode_response}),
      row("TagQueue", Q::kRequired, Plain<TagQueueRequest, EmptyResponse>{
          q::decode_tag_queue, j::decode_tag_queue, &SqsService::tag_queue, q::encode_response,
          j::encode_response}),
      row("UntagQueue", Q::kRequired, Plain<UntagQueueRequest, EmptyResponse>{
          q::decode_untag_queue, j::decode_untag_queue, &SqsService::untag_queue, q::encode_response,
          j::encode_response}),
  };
  return rows;
}

const ActionRow* find_action(std::string_view name) {
  for (const ActionRow& r : action_table()) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

// ---- The gate ----

SqsError invalid_action(std::string_view action) {
  return sqs::sqs_error(SqsErrorCode::kInvalidAction,
                        "The action " + std::string(action) + " is not valid for this endpoint.");
}

// Steps 1-4 of the contract in sqs_routes.h; the row to run, or the answer already decided.
std::variant<const ActionRow*, SqsAnswer> admit(const Request& http, Call& call) {
  const std::string target = http.header_or("X-Amz-Target");
  call.protocol = detect_sqs_protocol(target, http.header_or("Content-Type"));
  const std::optional<sqs::QueueRef> path_queue = queue_from_path(http.path);
  const std::string* queue_param = nullptr;
  if (call.protocol == SqsProtocol::kJson) {
    call.action = json_action(target);
    auto body = j::Body::parse(http.body);
    if (!body.ok()) return error_answer(call, body.error());
    call.json = std::move(body).value();
    queue_param = call.json->queue_url();
    if (call.action.empty()) return error_answer(call, sqs::missing_parameter("X-Amz-Target"));
  } else {
    call.form = FormParams::parse(http.body);
    call.form.merge(FormParams::parse(http.query));
    queue_param = call.form.get("QueueUrl");
    const std::string* action = call.form.get("Action");
    if (action == nullptr || action->empty()) {
      if (path_queue && http.method == "GET") {  // AWS answers a bare GET on a queue URL so
        return SqsAnswer{404, std::string(q::kContentType), "<UnknownOperationException/>", {}};
      }
      return error_answer(call, sqs::missing_parameter("Action"));
    }
    call.action = *action;
  }
  const ActionRow* row = find_action(call.action);
  if (row == nullptr) return error_answer(call, invalid_action(call.action));
  if (row->queue_use == QueueUse::kNotOnQueuePath && path_queue) {
    return error_answer(call, invalid_action(call.action));
  }
  if (row->queue_use == QueueUse::kRequired) {
    auto queue = resolve_queue(queue_param, http.path);
    if (!queue.ok()) return error_answer(call, queue.error());
    call.queue = std::move(queue).value();
  }
  call.ctx.host = http.header_or("Host");
  if (call.ctx.host.empty()) call.ctx.host = http.local_addr + ":" + std::to_string(http.local_port);
  if (const std::string* trace = http.header("X-Amzn-Trace-Id")) call.ctx.trace_header = *trace;
  return row;
}

}  // namespace

bool is_sqs_request(const Request& req) {
  if (req.method != "GET" && req.method != "POST") return false;
  return req.path == "/" || queue_from_path(req.path).has_value();
}

void handle_sqs(const Request& http, Reply reply, SqsService& service) {
  Call call;
  call.request_id = new_request_id();
  auto admitted = admit(http, call);
  if (auto* answer = std::get_if<SqsAnswer>(&admitted)) {
    reply(to_response(std::move(*answer), call.request_id));
    return;
  }
  std::get<const ActionRow*>(admitted)->run(call, service, std::move(reply));
}

}  // namespace slipway::http
