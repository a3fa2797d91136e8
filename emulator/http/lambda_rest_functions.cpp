// The Lambda REST codec: ListFunctions, GetFunction and GetFunctionConfiguration.
#include <algorithm>
#include <charconv>
#include <iterator>

#include "http/form.h"
#include "http/lambda_rest.h"
#include "http/lambda_rest_json.h"
#include "platform/log.h"

namespace slipway::http::lambda_rest {

using namespace detail;

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
