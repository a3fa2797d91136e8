#include "http/lambda_rest.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/digest.h"
#include "http/form.h"
#include "platform/log.h"

namespace slipway::http::lambda_rest {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// How each error renders: its name, status, which message key the model gives it, and whether
// AWS sends a Type member ("User" for the caller's fault, "Service" for ours; none at all on
// ValidationException).
struct ErrorRow {
  LambdaErrorCode code;
  std::string_view name;
  int status;
  const char* message_key;
  const char* type;  // nullptr: no Type member
};

constexpr ErrorRow kErrors[] = {
    {LambdaErrorCode::kValidation, "ValidationException", 400, "message", nullptr},
    {LambdaErrorCode::kInvalidParameterValue, "InvalidParameterValueException", 400, "message", "User"},
    {LambdaErrorCode::kInvalidRequestContent, "InvalidRequestContentException", 400, "message", "User"},
    {LambdaErrorCode::kResourceNotFound, "ResourceNotFoundException", 404, "Message", "User"},
    {LambdaErrorCode::kUnknownOperation, "UnknownOperationException", 404, "message", "User"},
    {LambdaErrorCode::kResourceConflict, "ResourceConflictException", 409, "message", "User"},
    {LambdaErrorCode::kRequestEntityTooLarge, "RequestEntityTooLargeException", 413, "message", "User"},
    {LambdaErrorCode::kUnsupportedMediaType, "UnsupportedMediaTypeException", 415, "message", "User"},
    {LambdaErrorCode::kTooManyRequests, "TooManyRequestsException", 429, "message", "User"},
    {LambdaErrorCode::kService, "ServiceException", 500, "Message", "Service"},
};

const ErrorRow& error_row(LambdaErrorCode code) {
  for (const ErrorRow& row : kErrors) {
    if (row.code == code) return row;
  }
  std::abort();  // a code without a row: the closed enum grew without its table
}

LambdaError error(LambdaErrorCode code, std::string message) { return LambdaError{code, std::move(message)}; }

// AWS's framework-level constraint message: "1 validation error detected: Value 'x' at 'field'
// failed to satisfy constraint: <constraint>".
LambdaError validation(std::string_view value, std::string_view field, std::string_view constraint) {
  return error(LambdaErrorCode::kValidation, "1 validation error detected: Value '" + std::string(value) +
                                                 "' at '" + std::string(field) +
                                                 "' failed to satisfy constraint: " + std::string(constraint));
}

Response json_response(int status, std::string body, std::string_view request_id) {
  Response r;
  r.status = status;
  r.set_content(std::move(body), kContentType);
  r.set_header("x-amzn-RequestId", std::string(request_id));
  return r;
}

Response empty_response(int status, std::string_view request_id) {
  Response r;
  r.status = status;
  r.set_header("x-amzn-RequestId", std::string(request_id));
  return r;
}

void put(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void put_int(JsonWriter& w, const char* key, int64_t value) {
  w.Key(key);
  w.Int64(value);
}

// A member whose value is an object; `members` writes its members.
template <typename Fn>
void object(JsonWriter& w, const char* key, Fn&& members) {
  w.Key(key);
  w.StartObject();
  members();
  w.EndObject();
}

// A whole JSON object as text; `members` writes its members.
template <typename Fn>
std::string json_object(Fn&& members) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  members(w);
  w.EndObject();
  return buf.GetString();
}

// ------------------------------------------------------------------------- name grammar

bool all_of(std::string_view s, bool (*ok)(char)) { return !s.empty() && std::all_of(s.begin(), s.end(), ok); }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_lower(c) || is_digit(c) || (c >= 'A' && c <= 'Z'); }
bool is_name_char(char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; }
bool is_alias_char(char c) { return is_alnum(c) || c == '-' || c == '_'; }
bool is_qualifier_char(char c) { return is_alias_char(c) || c == '$'; }

// aws[a-zA-Z-]* or empty.
bool is_partition(std::string_view s) {
  if (s.empty()) return true;
  return s.substr(0, 3) == "aws" &&
         std::all_of(s.begin() + 3, s.end(), [](char c) { return (is_alnum(c) && !is_digit(c)) || c == '-'; });
}

// [a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}
bool is_region(std::string_view s) {
  if (s.size() < 6 || !is_lower(s[0]) || !is_lower(s[1]) || s[2] != '-') return false;
  if (!is_digit(s.back()) || s[s.size() - 2] != '-') return false;
  std::string_view middle = s.substr(3, s.size() - 5);  // "east", "gov-west", "iso-east", "isob-east"
  if (middle.substr(0, 4) == "gov-") {
    middle.remove_prefix(4);
  } else if (middle.substr(0, 3) == "iso") {
    const size_t dash = middle.find('-');
    if (dash != std::string_view::npos && dash <= 4 && all_of(middle.substr(0, dash), is_lower))
      middle.remove_prefix(dash + 1);
  }
  return all_of(middle, is_lower);
}

bool is_account(std::string_view s) { return s.size() == 12 && all_of(s, is_digit); }

// The qualifier in "name:qualifier": $LATEST, $LATEST.PUBLISHED or [a-zA-Z0-9-_]+.
bool is_name_qualifier(std::string_view s) {
  return s == "$LATEST" || s == "$LATEST.PUBLISHED" || all_of(s, is_alias_char);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

constexpr std::string_view kNamePattern =
    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
    "(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
constexpr std::string_view kQualifierPattern = "\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";

struct ParsedName {
  std::string_view name;
  std::optional<std::string_view> region, account, qualifier;
};

// Consumes the optional prefixes of the pattern, each only while a name token still follows.
std::optional<ParsedName> parse_name(std::string_view text) {
  const std::vector<std::string_view> t = split(text, ':');
  size_t i = 0;
  auto left = [&](size_t after) { return t.size() - i > after; };
  ParsedName p;
  if (t.size() >= 4 && t[0] == "arn" && is_partition(t[1]) && t[2] == "lambda") i = 3;
  if (left(1) && is_region(t[i])) p.region = t[i++];
  if (left(1) && is_account(t[i])) p.account = t[i++];
  if (left(1) && t[i] == "function") ++i;
  if (i >= t.size() || !all_of(t[i], is_name_char)) return std::nullopt;
  p.name = t[i++];
  if (i < t.size()) {
    if (!is_name_qualifier(t[i])) return std::nullopt;
    p.qualifier = t[i++];
  }
  if (i != t.size()) return std::nullopt;
  return p;
}

}  // namespace

// ---------------------------------------------------------------------------------- errors

std::string_view error_name(LambdaErrorCode code) { return error_row(code).name; }
int error_status(LambdaErrorCode code) { return error_row(code).status; }

Response encode_error(const LambdaError& e, std::string_view request_id) {
  const ErrorRow& row = error_row(e.code);
  Response r = json_response(row.status, json_object([&](JsonWriter& w) {
                               if (row.type != nullptr) put(w, "Type", row.type);
                               put(w, row.message_key, e.message);
                             }),
                             request_id);
  r.set_header("x-amzn-ErrorType", std::string(row.name));
  return r;
}

Response encode_throttled(std::string_view reason, int retry_after_s, std::string_view request_id) {
  Response r = json_response(429, json_object([&](JsonWriter& w) {
                               put(w, "Reason", reason);
                               put(w, "Type", "User");
                               put(w, "message", "Rate Exceeded.");
                             }),
                             request_id);
  r.set_header("x-amzn-ErrorType", std::string(error_name(LambdaErrorCode::kTooManyRequests)));
  r.set_header("Retry-After", std::to_string(retry_after_s));
  return r;
}

// ---------------------------------------------------------------------------------- routing

bool is_lambda_path(std::string_view path) {
  return path.substr(0, kApiPrefix.size()) == kApiPrefix &&
         (path.size() == kApiPrefix.size() || path[kApiPrefix.size()] == '/');
}

LambdaResult<LambdaRoute> match_route(std::string_view method, std::string_view path) {
  std::string_view rest = path.substr(std::min(path.size(), kApiPrefix.size() + 1));
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const std::vector<std::string_view> seg = rest.empty() ? std::vector<std::string_view>{} : split(rest, '/');
  const bool named = !seg.empty() && !seg[0].empty();
  const std::string function = named ? url_decode(seg[0], false) : std::string();
  if (method == "GET" && seg.empty()) return LambdaRoute{RouteKind::kListFunctions, {}};
  if (method == "GET" && named && seg.size() == 1) return LambdaRoute{RouteKind::kGetFunction, function};
  if (method == "GET" && named && seg.size() == 2 && seg[1] == "configuration")
    return LambdaRoute{RouteKind::kGetFunctionConfiguration, function};
  if (method == "POST" && named && seg.size() == 2 && seg[1] == "invocations")
    return LambdaRoute{RouteKind::kInvoke, function};
  return error(LambdaErrorCode::kUnknownOperation,
               "slipway does not serve " + std::string(method) + " " + std::string(path) +
                   " (supported: Invoke, ListFunctions, GetFunction, GetFunctionConfiguration)");
}

std::string function_arn(const Site& site, std::string_view name, std::string_view qualifier) {
  std::string arn = "arn:aws:lambda:" + site.region + ":" + site.account + ":function:" + std::string(name);
  if (!qualifier.empty()) arn += ":" + std::string(qualifier);
  return arn;
}

LambdaResult<Target> resolve_target(std::string_view function_name, std::string_view qualifier_param,
                                    const Site& site) {
  if (function_name.size() > 256)
    return validation(function_name, "functionName", "Member must have length less than or equal to 256");
  const std::optional<ParsedName> p = parse_name(function_name);
  if (!p)
    return validation(function_name, "functionName", "Member must satisfy regular expression pattern: " +
                                                         std::string(kNamePattern));
  if (!qualifier_param.empty() && (qualifier_param.size() > 128 || !all_of(qualifier_param, is_qualifier_char)))
    return validation(qualifier_param, "qualifier",
                      "Member must satisfy regular expression pattern: " + std::string(kQualifierPattern));
  if (p->qualifier && !qualifier_param.empty() && *p->qualifier != qualifier_param)
    return error(LambdaErrorCode::kInvalidParameterValue,
                 "The derived qualifier from the function name does not match the specified qualifier.");
  Target t;
  t.name = std::string(p->name);
  if (p->qualifier) t.qualifier = std::string(*p->qualifier);
  if (!qualifier_param.empty()) t.qualifier = std::string(qualifier_param);
  if (p->region && *p->region != site.region)
    return error(LambdaErrorCode::kResourceNotFound, "Functions from '" + std::string(*p->region) +
                                                         "' are not reachable in this region ('" + site.region + "')");
  Site named = site;
  if (p->account) named.account = std::string(*p->account);
  t.arn = function_arn(named, t.name, t.qualifier.value_or(""));
  if (named.account != site.account) return error(LambdaErrorCode::kResourceNotFound, "Function not found: " + t.arn);
  return t;
}

std::string query_qualifier(const Request& request) {
  const FormParams params = FormParams::parse(request.query);  // `v` points into it
  const std::string* v = params.get("Qualifier");
  return v ? *v : std::string();
}

std::optional<LambdaError> check_target(const Target& target, bool function_exists) {
  if (function_exists && target.is_latest()) return std::nullopt;
  return error(LambdaErrorCode::kResourceNotFound, "Function not found: " + target.arn);
}

// ---------------------------------------------------------------------------------- Invoke

namespace {

LambdaResult<InvocationType> decode_invocation_type(const Request& request) {
  const std::string* v = request.header("X-Amz-Invocation-Type");
  if (v == nullptr || *v == "RequestResponse") return InvocationType::kRequestResponse;
  if (*v == "Event") return InvocationType::kEvent;
  if (*v == "DryRun") return InvocationType::kDryRun;
  return validation(*v, "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
}

LambdaResult<bool> decode_log_tail(const Request& request) {
  const std::string* v = request.header("X-Amz-Log-Type");
  if (v == nullptr || *v == "None") return false;
  if (*v == "Tail") return true;
  return validation(*v, "logType", "Member must satisfy enum value set: [Tail, None]");
}

std::optional<LambdaError> check_size(InvocationType type, size_t bytes, const PayloadLimits& limits) {
  const auto size = static_cast<int64_t>(bytes);
  if (type == InvocationType::kEvent && size > limits.async_request_bytes_max)
    return error(LambdaErrorCode::kRequestEntityTooLarge,
                 std::to_string(size) + " byte payload is too large for the Event invocation type (limit " +
                     std::to_string(limits.async_request_bytes_max) + " bytes)");
  if (type != InvocationType::kEvent && size > limits.sync_request_bytes_max)
    return error(LambdaErrorCode::kRequestEntityTooLarge,
                 "Request must be smaller than " + std::to_string(limits.sync_request_bytes_max) +
                     " bytes for the InvokeFunction operation");
  return std::nullopt;
}

LambdaResult<std::optional<std::string>> decode_client_context(const Request& request,
                                                               const PayloadLimits& limits) {
  const std::string* v = request.header("X-Amz-Client-Context");
  if (v == nullptr || v->empty()) return std::optional<std::string>();
  // AWS states the limit but not its message; this wording is ours.
  if (v->size() > static_cast<size_t>(limits.client_context_bytes_max))
    return error(LambdaErrorCode::kInvalidRequestContent,
                 "Client context must be at most " + std::to_string(limits.client_context_bytes_max) + " bytes.");
  std::optional<std::string> raw = core::base64_decode(*v);
  rapidjson::Document doc;
  if (raw) doc.Parse<rapidjson::kParseValidateEncodingFlag>(raw->data(), raw->size());
  if (!raw || doc.HasParseError() || !doc.IsObject())
    return error(LambdaErrorCode::kInvalidRequestContent, "Client context must be a valid Base64-encoded JSON object.");
  return std::optional<std::string>(std::move(*raw));
}

// Validates without building a tree: a 6 MB payload must not cost a DOM on the loop thread.
std::optional<LambdaError> check_json(std::string_view payload) {
  rapidjson::Reader reader;
  rapidjson::BaseReaderHandler<> ignore;
  rapidjson::MemoryStream in(payload.data(), payload.size());
  rapidjson::ParseResult result = reader.Parse<rapidjson::kParseValidateEncodingFlag>(in, ignore);
  // MemoryStream reads a NUL byte as the end: whatever follows one must still be rejected.
  if (!result.IsError() && in.Tell() != payload.size())
    result.Set(rapidjson::kParseErrorDocumentRootNotSingular, in.Tell());
  if (!result.IsError()) return std::nullopt;
  return error(LambdaErrorCode::kInvalidRequestContent,
               std::string("Could not parse request body into json: Could not parse payload into json: ") +
                   rapidjson::GetParseError_En(result.Code()) + " (at byte " + std::to_string(result.Offset()) + ")");
}

}  // namespace

LambdaResult<InvokeRequest> decode_invoke(const Request& request, std::string_view function_name,
                                          const Site& site, const PayloadLimits& limits) {
  InvokeRequest out;
  auto type = decode_invocation_type(request);
  if (!type.ok()) return type.error();
  out.type = type.value();
  auto tail = decode_log_tail(request);
  if (!tail.ok()) return tail.error();
  out.log_tail = tail.value() && out.type == InvocationType::kRequestResponse;
  auto target = resolve_target(function_name, query_qualifier(request), site);
  if (!target.ok()) return target.error();
  out.target = std::move(target).value();
  if (auto e = check_size(out.type, request.body.size(), limits)) return *e;
  auto context = decode_client_context(request, limits);
  if (!context.ok()) return context.error();
  out.client_context = std::move(context).value();
  if (!request.body.empty()) {
    if (auto e = check_json(request.body)) return *e;
  }
  out.payload = request.body.empty() ? "{}" : request.body;
  if (const std::string* v = request.header("X-Amzn-Trace-Id")) out.trace_id = *v;
  if (const std::string* v = request.header("X-Amz-Tenant-Id")) out.tenant_id = *v;
  return out;
}

Response encode_invoke_result(const InvokeOutcome& outcome, std::string_view request_id) {
  constexpr size_t kTailBytes = 4096;  // "the last 4 KB of the execution log"
  Response r = json_response(200, outcome.payload, request_id);
  r.set_header("X-Amz-Executed-Version", std::string(kLatest));
  if (outcome.function_error) r.set_header("X-Amz-Function-Error", *outcome.function_error);
  if (outcome.log_tail) {
    std::string_view tail = *outcome.log_tail;
    if (tail.size() > kTailBytes) tail.remove_prefix(tail.size() - kTailBytes);
    r.set_header("X-Amz-Log-Result", core::base64_encode(tail));
  }
  return r;
}

Response encode_invoke_accepted(std::string_view request_id) { return empty_response(202, request_id); }
Response encode_dry_run(std::string_view request_id) { return empty_response(204, request_id); }

// ------------------------------------------------------------- ListFunctions / GetFunction

LambdaResult<ListFunctionsRequest> decode_list_functions(const Request& request) {
  const FormParams q = FormParams::parse(request.query);
  ListFunctionsRequest out;
  if (const std::string* v = q.get("MaxItems")) {
    int n = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || ptr != v->data() + v->size())
      return validation(*v, "maxItems", "Member must be an integer between 1 and 10000");
    if (n < 1) return validation(*v, "maxItems", "Member must have value greater than or equal to 1");
    if (n > 10000) return validation(*v, "maxItems", "Member must have value less than or equal to 10000");
    out.max_items = std::min(n, 50);
  }
  if (const std::string* v = q.get("Marker")) out.marker = *v;
  return out;
}

namespace {

// "2026-11-27T08:00:00.000+0000", the form AWS gives LastModified.
std::string last_modified(core::TimeUs at) {
  std::string s = platform::iso8601_utc(at);
  s.pop_back();  // the 'Z'
  return s + "+0000";
}

void write_configuration(JsonWriter& w, const FunctionView& f, const Site& site) {
  w.StartObject();
  put(w, "FunctionName", f.name);
  put(w, "FunctionArn", function_arn(site, f.name));
  put(w, "Runtime", "provided.al2023");
  put(w, "Role", "arn:aws:iam::" + site.account + ":role/slipway-" + f.name);
  if (!f.handler.empty()) put(w, "Handler", f.handler);
  put_int(w, "CodeSize", f.code_size_bytes);
  put(w, "Description", f.description);
  put_int(w, "Timeout", f.timeout_s);
  put_int(w, "MemorySize", f.memory_mb);
  put(w, "LastModified", last_modified(f.last_modified_us));
  put(w, "CodeSha256", f.code_sha256);
  put(w, "Version", kLatest);
  if (!f.environment.empty()) {  // AWS omits Environment when no variable is set
    object(w, "Environment", [&] {
      object(w, "Variables", [&] {
        for (const auto& [key, value] : f.environment) put(w, key.c_str(), value);
      });
    });
  }
  object(w, "TracingConfig", [&] { put(w, "Mode", "PassThrough"); });
  put(w, "State", "Active");
  put(w, "LastUpdateStatus", "Successful");
  put(w, "PackageType", "Zip");
  w.Key("Architectures");
  w.StartArray();
  w.String("x86_64");
  w.EndArray();
  object(w, "EphemeralStorage", [&] { put_int(w, "Size", f.ephemeral_storage_mb); });
  object(w, "LoggingConfig", [&] {
    put(w, "LogFormat", "Text");
    put(w, "LogGroup", "/aws/lambda/" + f.name);
  });
  w.EndObject();
}

}  // namespace

std::string function_configuration_json(const FunctionView& function, const Site& site) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  write_configuration(w, function, site);
  return buf.GetString();
}

Response encode_list_functions(std::vector<FunctionView> functions, const ListFunctionsRequest& request,
                               const Site& site, std::string_view request_id) {
  std::sort(functions.begin(), functions.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  auto it = std::upper_bound(functions.begin(), functions.end(), request.marker,
                             [](const std::string& m, const FunctionView& f) { return m < f.name; });
  const auto page = static_cast<size_t>(std::clamp(request.max_items, 1, 50));
  return json_response(200, json_object([&](JsonWriter& w) {
                         w.Key("Functions");
                         w.StartArray();
                         for (size_t n = 0; it != functions.end() && n < page; ++it, ++n) write_configuration(w, *it, site);
                         w.EndArray();
                         if (it != functions.end()) put(w, "NextMarker", std::prev(it)->name);
                       }),
                       request_id);
}

Response encode_get_function(const FunctionView& f, const Site& site, std::string_view request_id) {
  return json_response(200, json_object([&](JsonWriter& w) {
                         w.Key("Configuration");
                         write_configuration(w, f, site);
                         object(w, "Code", [&] {
                           put(w, "RepositoryType", "S3");
                           if (!f.code_uri.empty()) put(w, "Location", "file://" + f.code_uri);
                         });
                         if (f.reserved_concurrency) {
                           object(w, "Concurrency", [&] { put_int(w, "ReservedConcurrentExecutions", *f.reserved_concurrency); });
                         }
                       }),
                       request_id);
}

Response encode_get_function_configuration(const FunctionView& f, const Site& site, std::string_view request_id) {
  return json_response(200, function_configuration_json(f, site), request_id);
}

}  // namespace slipway::http::lambda_rest
