#include "http/admin.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "http/edge_server.h"

namespace slipway::http {

namespace {

constexpr const char* kLoopStopped =
    R"({"message":"slipway is shutting down and no longer answers"})";

}  // namespace

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

void register_admin_routes(httplib::Server& server, platform::Loop& loop, const DaemonInfo& info,
                           const app::Manifest& manifest) {
  server.Get("/_slipway/health", [&loop, &info](const httplib::Request&, httplib::Response& res) {
    auto body = loop.call<std::string>([&] { return health_json(info, loop.clock().now_us()); });
    reply_json(res, body ? 200 : 503, body ? *body : kLoopStopped);
  });
  server.Get("/_slipway/state", [&loop, &manifest](const httplib::Request&, httplib::Response& res) {
    auto body = loop.call<std::string>([&] { return app::manifest_state_json(manifest); });
    reply_json(res, body ? 200 : 503, body ? *body : kLoopStopped);
  });
}

}  // namespace slipway::http
