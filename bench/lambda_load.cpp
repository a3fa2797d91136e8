// lambda_load: a closed-loop load generator for slipway's Lambda Invoke API, used by
// bench/lambda.py. Each client thread holds one keep-alive connection (TCP_NODELAY) and invokes
// the function back to back (RequestResponse) for --seconds; every latency is recorded.
//
//   lambda_load --port P --function NAME [--clients 1] [--seconds 5] [--payload JSON]
// Prints one JSON line: requests, seconds, rps, p50_us, p99_us, max_us, errors.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
  int port = 4566;
  std::string function;
  int clients = 1;
  double seconds = 5;
  std::string payload = "{\"hello\":\"world\"}";
};

struct ClientResult {
  std::vector<uint32_t> latencies_us;
  long errors = 0;
};

using Clock = std::chrono::steady_clock;

void run_client(const Options& o, Clock::time_point end, ClientResult& out) {
  httplib::Client c("127.0.0.1", o.port);
  c.set_tcp_nodelay(true);
  c.set_keep_alive(true);
  c.set_read_timeout(60, 0);
  const std::string path = "/2015-03-31/functions/" + o.function + "/invocations";
  while (Clock::now() < end) {
    const auto t0 = Clock::now();
    auto res = c.Post(path, o.payload, "application/json");
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
    if (!res || res->status != 200 || res->has_header("X-Amz-Function-Error")) {
      ++out.errors;
      continue;
    }
    out.latencies_us.push_back(static_cast<uint32_t>(us));
  }
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--port") o.port = std::atoi(v);
    else if (k == "--function") o.function = v;
    else if (k == "--clients") o.clients = std::atoi(v);
    else if (k == "--seconds") o.seconds = std::atof(v);
    else if (k == "--payload") o.payload = v;
    else return false;
  }
  return !o.function.empty() && o.clients > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: lambda_load --port P --function NAME [--clients N] [--seconds S] [--payload JSON]\n");
    return 2;
  }
  std::vector<ClientResult> results(o.clients);
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  for (int i = 0; i < o.clients; ++i) threads.emplace_back(run_client, std::cref(o), end, std::ref(results[i]));
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<uint32_t> all;
  long errors = 0;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    errors += r.errors;
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0u : all[std::min(all.size() - 1, static_cast<size_t>(p * (all.size() - 1)))]; };
  std::printf("{\"requests\":%zu,\"seconds\":%.3f,\"rps\":%.0f,\"p10_us\":%u,\"p50_us\":%u,\"p90_us\":%u,\"p99_us\":%u,\"max_us\":%u,\"errors\":%ld}\n",
              all.size(), elapsed, all.size() / elapsed, pct(0.10), pct(0.50), pct(0.90), pct(0.99), all.empty() ? 0u : all.back(), errors);
  return 0;
}
