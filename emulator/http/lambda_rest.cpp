#include "http/lambda_rest.h"

// The Lambda REST codec: errors, routes and FunctionName grammar. Invoke is in
// lambda_rest_invoke.cpp, the function listings in lambda_rest_functions.cpp, the concurrency
// control plane in lambda_rest_concurrency.cpp.
#include <algorithm>
#include <cstdlib>
#include <iterator>

#include "http/form.h"
#include "http/lambda_rest_json.h"

namespace slipway::http::lambda_rest {

using namespace detail;

namespace {

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

namespace {

// The route table: under `prefix`, `method` with `segments` path segments after it (the
// FunctionName, then `sub`) is operation `kind`.
struct RouteRow {
  std::string_view prefix;
  std::string_view method;
  size_t segments;
  std::string_view sub;
  RouteKind kind;
};

constexpr RouteRow kRoutes[] = {
    {kApiPrefix, "GET", 0, "", RouteKind::kListFunctions},
    {kApiPrefix, "GET", 1, "", RouteKind::kGetFunction},
    {kApiPrefix, "GET", 2, "configuration", RouteKind::kGetFunctionConfiguration},
    {kApiPrefix, "POST", 2, "invocations", RouteKind::kInvoke},
    {kAccountSettingsPath, "GET", 0, "", RouteKind::kGetAccountSettings},
    {kConcurrencyPrefix, "PUT", 2, "concurrency", RouteKind::kPutFunctionConcurrency},
    {kConcurrencyPrefix, "DELETE", 2, "concurrency", RouteKind::kDeleteFunctionConcurrency},
    {kGetConcurrencyPrefix, "GET", 2, "concurrency", RouteKind::kGetFunctionConcurrency},
};

constexpr std::string_view kPrefixes[] = {kApiPrefix, kConcurrencyPrefix, kGetConcurrencyPrefix, kAccountSettingsPath};

bool is_under(std::string_view path, std::string_view prefix) {
  return path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

bool row_matches(const RouteRow& row, std::string_view method, const std::vector<std::string_view>& seg) {
  if (row.method != method || row.segments != seg.size()) return false;
  if (!seg.empty() && seg[0].empty()) return false;  // no FunctionName
  return seg.size() < 2 || seg[1] == row.sub;
}

}  // namespace

bool is_lambda_path(std::string_view path) {
  return std::any_of(std::begin(kPrefixes), std::end(kPrefixes), [&](std::string_view p) { return is_under(path, p); });
}

LambdaResult<LambdaRoute> match_route(std::string_view method, std::string_view path) {
  const auto* prefix = std::find_if(std::begin(kPrefixes), std::end(kPrefixes),
                                    [&](std::string_view p) { return is_under(path, p); });
  if (prefix != std::end(kPrefixes)) {
    std::string_view rest = path.substr(std::min(path.size(), prefix->size() + 1));
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    const std::vector<std::string_view> seg = rest.empty() ? std::vector<std::string_view>{} : split(rest, '/');
    for (const RouteRow& row : kRoutes) {
      if (row.prefix != *prefix || !row_matches(row, method, seg)) continue;
      return LambdaRoute{row.kind, seg.empty() ? std::string() : url_decode(seg[0], false)};
    }
  }
  return error(LambdaErrorCode::kUnknownOperation,
               "slipway does not serve " + std::string(method) + " " + std::string(path) +
                   " (supported: Invoke, ListFunctions, GetFunction, GetFunctionConfiguration, GetAccountSettings, "
                   "PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency)");
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

}  // namespace slipway::http::lambda_rest
