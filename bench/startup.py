#!/usr/bin/env python3
"""Start-up latency: time from spawning `slipway serve --port 0` to its first 200 from
/_slipway/health, over N runs, each in a fresh data directory (so each run also creates and
migrates the database). Prints min/p50/p99/max in milliseconds.

Usage: bench/startup.py [--runs N] [--bin build/slipway] [--config FILE]
"""
import argparse
import http.client
import os
import select
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def one_run(binary, config):
    with tempfile.TemporaryDirectory(prefix="slipway-bench-") as tmp:
        args = [binary, "serve", "--port", "0", "--data-dir", os.path.join(tmp, "data")]
        if config:
            args += ["--config", config]
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            select.select([proc.stdout], [], [], 10)
            line = proc.stdout.readline()
            port = int(line.strip().rsplit(":", 1)[1])
            while True:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                try:
                    conn.request("GET", "/_slipway/health")
                    if conn.getresponse().status == 200:
                        break
                except ConnectionError:
                    pass
                finally:
                    conn.close()
            ready = time.perf_counter() - t0
            t1 = time.perf_counter()
            proc.terminate()
            proc.wait(timeout=5)
            stop = time.perf_counter() - t1
            return ready * 1000, stop * 1000
        finally:
            if proc.poll() is None:
                proc.kill()


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "slipway"))
    ap.add_argument("--config", default=os.path.join(ROOT, "fixtures", "manifests", "sample.json"))
    args = ap.parse_args()
    ready, stop = zip(*(one_run(args.bin, args.config) for _ in range(args.runs)))
    for name, values in (("spawn -> first health 200", ready), ("SIGTERM -> exit", stop)):
        print(f"{name:28s} runs={len(values)} min={min(values):.1f} ms p50={statistics.median(values):.1f} ms "
              f"p99={pct(values, 99):.1f} ms max={max(values):.1f} ms")


if __name__ == "__main__":
    main()
