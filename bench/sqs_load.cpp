// sqs_load: a closed-loop load generator for slipway's SQS API (JSON 1.0 protocol), used by
// bench/sqs.py. Each client thread holds one keep-alive connection (TCP_NODELAY) and issues
// requests back to back for --seconds; latencies of every request are recorded.
//
//   sqs_load --port P --queue-url URL --op OP [--clients 8] [--seconds 5] [--batch 1]
//            [--body-bytes 200] [--max-requests N] [--rate R]
// OP: send          SendMessage (or SendMessageBatch with --batch 10)
//     receive-delete ReceiveMessage (up to --batch messages) then DeleteMessage(Batch) for them
// --rate R paces the clients to R requests/s in total (latency at a given load); without it each
// client sends as fast as answers come back (throughput).
// Prints one JSON line: requests, messages, seconds, rps, mps, p50_us, p99_us, max_us, errors.
#include <httplib.h>

#include <algorithm>
#include <atomic>
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
  std::string queue_url;
  std::string op = "send";
  int clients = 8;
  double seconds = 5;
  int batch = 1;
  int body_bytes = 200;
  long max_requests = 0;  // 0: no cap
  double rate = 0;        // total requests/s across clients, paced (open loop); 0: as fast as possible
};

struct ClientResult {
  std::vector<uint32_t> latencies_us;
  long messages = 0;
  long errors = 0;
};

using Clock = std::chrono::steady_clock;

std::string send_body(const Options& o, const std::string& payload, long n) {
  if (o.batch <= 1) {
    return "{\"QueueUrl\":\"" + o.queue_url + "\",\"MessageBody\":\"" + payload +
           std::to_string(n) + "\"}";
  }
  std::string b = "{\"QueueUrl\":\"" + o.queue_url + "\",\"Entries\":[";
  for (int i = 0; i < o.batch; ++i) {
    if (i) b += ",";
    b += "{\"Id\":\"m" + std::to_string(i) + "\",\"MessageBody\":\"" + payload + "\"}";
  }
  return b + "]}";
}

// Pulls every "ReceiptHandle":"..." out of a ReceiveMessage answer (handles hold no quotes).
std::vector<std::string> receipt_handles(const std::string& body) {
  std::vector<std::string> out;
  const std::string key = "\"ReceiptHandle\":\"";
  for (size_t at = body.find(key); at != std::string::npos; at = body.find(key, at)) {
    at += key.size();
    size_t end = body.find('"', at);
    out.push_back(body.substr(at, end - at));
    at = end;
  }
  return out;
}

std::string delete_body(const Options& o, const std::vector<std::string>& handles) {
  if (handles.size() == 1) {
    return "{\"QueueUrl\":\"" + o.queue_url + "\",\"ReceiptHandle\":\"" + handles[0] + "\"}";
  }
  std::string b = "{\"QueueUrl\":\"" + o.queue_url + "\",\"Entries\":[";
  for (size_t i = 0; i < handles.size(); ++i) {
    if (i) b += ",";
    b += "{\"Id\":\"d" + std::to_string(i) + "\",\"ReceiptHandle\":\"" + handles[i] + "\"}";
  }
  return b + "]}";
}

bool post(httplib::Client& c, const char* action, const std::string& body, std::string* out) {
  httplib::Headers h = {{"X-Amz-Target", std::string("AmazonSQS.") + action}};
  auto res = c.Post("/", h, body, "application/x-amz-json-1.0");
  if (!res || res->status != 200) return false;
  if (out) *out = res->body;
  return true;
}

void run_client(const Options& o, Clock::time_point deadline, std::atomic<long>& budget,
                ClientResult& r) {
  httplib::Client c("127.0.0.1", o.port);
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);
  c.set_read_timeout(30, 0);
  const std::string payload(static_cast<size_t>(o.body_bytes), 'x');
  const std::string recv = "{\"QueueUrl\":\"" + o.queue_url +
                           "\",\"MaxNumberOfMessages\":" + std::to_string(o.batch) + "}";
  long n = 0;
  const auto interval = o.rate > 0 ? std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(o.clients / o.rate))
                                   : Clock::duration::zero();
  auto next = Clock::now();
  while (Clock::now() < deadline && budget.fetch_sub(1) > 0) {
    if (o.rate > 0) {
      std::this_thread::sleep_until(next);
      next += interval;
    }
    auto t0 = Clock::now();
    bool ok;
    if (o.op == "send") {
      ok = post(c, o.batch > 1 ? "SendMessageBatch" : "SendMessage", send_body(o, payload, n++), nullptr);
      if (ok) r.messages += o.batch;
    } else {
      std::string got;
      ok = post(c, "ReceiveMessage", recv, &got);
      auto handles = receipt_handles(got);
      if (ok && !handles.empty()) {
        ok = post(c, handles.size() > 1 ? "DeleteMessageBatch" : "DeleteMessage",
                  delete_body(o, handles), nullptr);
        if (ok) r.messages += static_cast<long>(handles.size());
      }
    }
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
    r.latencies_us.push_back(static_cast<uint32_t>(us));
    if (!ok) ++r.errors;
  }
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port") o.port = std::atoi(v.c_str());
    else if (k == "--queue-url") o.queue_url = v;
    else if (k == "--op") o.op = v;
    else if (k == "--clients") o.clients = std::atoi(v.c_str());
    else if (k == "--seconds") o.seconds = std::atof(v.c_str());
    else if (k == "--batch") o.batch = std::atoi(v.c_str());
    else if (k == "--body-bytes") o.body_bytes = std::atoi(v.c_str());
    else if (k == "--max-requests") o.max_requests = std::atol(v.c_str());
    else if (k == "--rate") o.rate = std::atof(v.c_str());
    else return false;
  }
  return !o.queue_url.empty() && (o.op == "send" || o.op == "receive-delete");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: sqs_load --port P --queue-url URL --op send|receive-delete "
                         "[--clients N] [--seconds S] [--batch B] [--body-bytes N] [--max-requests N]\n");
    return 2;
  }
  std::vector<ClientResult> results(static_cast<size_t>(o.clients));
  std::atomic<long> budget(o.max_requests > 0 ? o.max_requests : (1L << 62));
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  std::vector<std::thread> threads;
  for (auto& r : results) threads.emplace_back(run_client, std::cref(o), deadline, std::ref(budget), std::ref(r));
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<uint32_t> all;
  long messages = 0, errors = 0;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    messages += r.messages;
    errors += r.errors;
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0u : all[std::min(all.size() - 1, size_t(p * (all.size() - 1)))]; };
  std::printf("{\"requests\":%zu,\"messages\":%ld,\"seconds\":%.3f,\"rps\":%.0f,\"mps\":%.0f,"
              "\"p50_us\":%u,\"p99_us\":%u,\"max_us\":%u,\"errors\":%ld}\n",
              all.size(), messages, elapsed, all.size() / elapsed, messages / elapsed, pct(0.50),
              pct(0.99), all.empty() ? 0u : all.back(), errors);
  return errors ? 1 : 0;
}
