#include "http/admin.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "http/edge.h"

namespace slipway::http {

std::string health_json(const DaemonInfo& info, core::TimeUs now_us) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("status");
  w.String("ok");
  w.Key("version");
  w.String(info.version.c_str());
  w.Key("uptime_seconds");
  w.Double(static_cast<double>(now_us - info.started_us) / core::kUsPerSecond);
  w.Key("host");
  w.String(info.host.c_str());
  w.Key("port");
  w.Int(info.port);
  w.Key("data_dir");
  w.String(info.data_dir.c_str());
  w.Key("manifest");
  if (info.manifest_path.empty()) w.Null(); else w.String(info.manifest_path.c_str());
  w.Key("seed");
  w.Uint64(info.seed);
  w.Key("schema_version");
  w.Int(info.schema_version);
  w.Key("pid");
  w.Int(info.pid);
  w.EndObject();
  return buf.GetString();
}

std::string lambda_stats_json(const lambda::LambdaStats& stats) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("account_concurrency");
  w.Int(stats.account_concurrency);
  w.Key("unreserved_concurrency_limit");
  w.Int(stats.unreserved_concurrency_limit);
  w.Key("unreserved_concurrency_in_use");
  w.Int(stats.unreserved_concurrency_in_use);
  w.Key("functions");
  w.StartObject();
  for (const lambda::FunctionStats& f : stats.functions) {
    w.Key(f.name.c_str());
    w.StartObject();
    w.Key("reserved_concurrency");
    if (f.reserved_concurrency) w.Int(*f.reserved_concurrency); else w.Null();
    w.Key("concurrency_in_use");
    w.Int(f.concurrency_in_use);
    w.Key("environments");
    w.StartObject();
    const std::pair<const char*, int> states[] = {{"spawning", f.envs.spawning}, {"starting", f.envs.starting},
                                                 {"idle", f.envs.idle},         {"invoking", f.envs.invoking},
                                                 {"finishing", f.envs.finishing}, {"dead", f.envs.dead}};
    for (const auto& [name, count] : states) {
      w.Key(name);
      w.Int(count);
    }
    w.EndObject();
    w.Key("async_queued");
    w.Uint64(f.async_queued);
    w.Key("invocations");
    w.Uint64(f.invocations);
    w.Key("throttles");
    w.Uint64(f.throttles);
    w.Key("cold_starts");
    w.Uint64(f.cold_starts);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

bool is_admin_request(const Request& request) { return request.path.rfind("/_slipway/", 0) == 0; }

void handle_admin(const Request& request, Reply reply, const core::Clock& clock, const DaemonInfo& info,
                  const app::Manifest& manifest, const lambda::LambdaService* lambda) {
  if (request.method == "GET" && request.path == "/_slipway/health") {
    reply(json_response(200, health_json(info, clock.now_us())));
  } else if (request.method == "GET" && request.path == "/_slipway/state") {
    reply(json_response(200, app::manifest_state_json(manifest)));
  } else if (request.method == "GET" && request.path == "/_slipway/lambda" && lambda) {
    reply(json_response(200, lambda_stats_json(lambda->stats())));
  } else {
    reply(json_response(404, "{\"message\":\"no admin endpoint " + json_escape(request.method + " " + request.path) +
                                 "; there are GET /_slipway/health, /_slipway/state and /_slipway/lambda\"}"));
  }
}

}  // namespace slipway::http
