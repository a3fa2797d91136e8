#!/usr/bin/env python3
"""Lambda benchmarks with the C++ runtime fixture (build/fixtures/cpp/bootstrap):

  warm invoke round trip (client -> Invoke API -> runtime -> response), p50/p99, with 1 client
  and with 8 clients in parallel (bench/lambda_load, a C++ closed-loop client);
  cold start: spawn to first GET /next as slipway measures it (REPORT's Init Duration), against
  the binary's own start (spawn to its first /next, measured here with a bare listening socket),
  and the client-side latency of a cold invoke;
  timeout enforcement: how long after the deadline a timed-out environment is killed.

Usage: bench/lambda.py [--seconds 5] [--cold-runs 40]
"""
import argparse
import base64
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("SLIPWAY_BUILD_DIR", os.path.join(ROOT, "build"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
os.environ.setdefault("SLIPWAY_BIN", os.path.join(BUILD, "slipway"))
from harness import Daemon  # noqa: E402

FIXTURE = os.path.join(BUILD, "fixtures", "cpp")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def proc_sample(pid):
    with open(f"/proc/{pid}/status") as f:
        status = f.read()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu_ticks = int(fields[11]) + int(fields[12])
    return rss, threads, cpu_ticks


def invoke(port, fn, payload, tail=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"X-Amz-Log-Type": "Tail"} if tail else {}
    conn.request("POST", f"/2015-03-31/functions/{fn}/invocations", body=json.dumps(payload), headers=headers)
    r = conn.getresponse()
    body = r.read()
    log = base64.b64decode(r.getheader("X-Amz-Log-Result", "")).decode() if tail else ""
    conn.close()
    return r.status, r.getheader("X-Amz-Function-Error"), body, log


def warm(daemon, seconds):
    load = os.path.join(BUILD, "lambda_load")
    for clients in (1, 8):
        before = proc_sample(daemon.proc.pid)
        out = subprocess.run([load, "--port", str(daemon.port), "--function", "echo", "--clients", str(clients),
                              "--seconds", str(seconds)], capture_output=True, text=True, check=True).stdout
        after = proc_sample(daemon.proc.pid)
        r = json.loads(out)
        cpu = (after[2] - before[2]) / os.sysconf("SC_CLK_TCK") / r["seconds"] * 100
        print(f"warm invoke, {clients} client{'s' if clients > 1 else ' '}       {r['rps']:>7} invokes/s  "
              f"p50 {r['p50_us']:>5} us  p99 {r['p99_us']:>6} us  errors {r['errors']}  "
              f"daemon CPU {cpu:.0f}%  RSS {after[0]} MB  threads {after[1]}")


def own_start(runs):
    """Spawn to the first GET /next of the bare bootstrap, against a plain socket."""
    times = []
    for _ in range(runs):
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{srv.getsockname()[1]}")
        t0 = time.perf_counter()
        pid = os.posix_spawn(os.path.join(FIXTURE, "bootstrap"), ["bootstrap"], env,
                             file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
        conn, _ = srv.accept()
        data = b""
        while b"\r\n" not in data:
            data += conn.recv(4096)
        times.append((time.perf_counter() - t0) * 1000)
        assert data.startswith(b"GET /2018-06-01/runtime/invocation/next"), data
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        conn.close()
        srv.close()
    return times


def cold(daemon, runs):
    inits, latencies = [], []
    for _ in range(runs):
        invoke(daemon.port, "cold", {"action": "kill"})  # its one environment dies: the next invoke is cold
        t0 = time.perf_counter()
        status, err, _, log = invoke(daemon.port, "cold", {"hello": "cold"}, tail=True)
        latencies.append((time.perf_counter() - t0) * 1000)
        m = re.search(r"Init Duration: ([\d.]+) ms", log)
        assert status == 200 and not err and m, log
        inits.append(float(m.group(1)))
    own = own_start(runs)
    print(f"cold start, slipway Init Duration (spawn -> first /next)  p50 {pct(inits, 50):.2f} ms  p99 {pct(inits, 99):.2f} ms")
    print(f"cold start, the binary alone (spawn -> first /next)       p50 {pct(own, 50):.2f} ms  p99 {pct(own, 99):.2f} ms")
    print(f"cold start overhead (p50 difference)                      {pct(inits, 50) - pct(own, 50):.2f} ms")
    print(f"cold invoke round trip at the client                     p50 {pct(latencies, 50):.2f} ms  p99 {pct(latencies, 99):.2f} ms")


def timeouts(daemon, runs):
    """Timeout enforcement: a function with Timeout 1 s sleeps 3 s; REPORT's Duration for the
    timed-out invocation is when the deadline timer killed the environment, counted from delivery."""
    late = []
    for _ in range(runs):
        status, err, body, log = invoke(daemon.port, "timeout", {"action": "sleep", "ms": 3000}, tail=True)
        m = re.search(r"Duration: ([\d.]+) ms.*Status: timeout", log)
        assert status == 200 and err == "Unhandled" and b"Sandbox.Timedout" in body and m, log
        late.append(float(m.group(1)) - 1000.0)
    print(f"timeout enforcement, kill time minus deadline ({runs} runs)   p50 {pct(late, 50):.2f} ms  "
          f"p99 {pct(late, 99):.2f} ms  max {max(late):.2f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--cold-runs", type=int, default=40)
    ap.add_argument("--timeout-runs", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="slipway-bench-") as tmp:
        manifest = os.path.join(tmp, "slipway.json")
        with open(manifest, "w") as f:
            json.dump({"Functions": {"echo": {"CodeUri": FIXTURE, "Handler": "bench", "Timeout": 30},
                                     "cold": {"CodeUri": FIXTURE, "Handler": "bench", "Timeout": 30},
                                     "timeout": {"CodeUri": FIXTURE, "Handler": "bench", "Timeout": 1}}}, f)
        with Daemon("--function-logs", "files", config=manifest) as daemon:
            for _ in range(50):
                invoke(daemon.port, "echo", {"warm": "up"})
            warm(daemon, args.seconds)
            cold(daemon, args.cold_runs)
            timeouts(daemon, args.timeout_runs)


if __name__ == "__main__":
    main()
