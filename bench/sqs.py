#!/usr/bin/env python3
"""SQS throughput and latency: starts slipway (port 0, fresh data dir), then drives it with
build/sqs_load (C++, keep-alive connections, JSON protocol) through these phases, sampling the
daemon's CPU and RSS from /proc around each:

  send 1 client / 8 clients, single and batch of 10
  receive+delete 1 client / 8 clients, single and batch of 10
  send at half the measured 8-client single rate, and at 10,000/s (paced), for p99 at that load
  batch send paced at 5,000/s (50,000 messages/s), then the same load against canned_server, a
  server that answers at once and does nothing else: the floor this machine puts under p99
  1,000,000 messages resident in one queue: RSS, then receive+delete latency at that depth

Every line reports the CPU time the hypervisor stole from this VM during the phase ("steal"):
on a shared host it swings from 0 to 30% and moves every figure with it.

Before the daemon starts, the bench touches --warm-mb of memory once and frees it. On a VM whose
host backs guest memory lazily (Firecracker), the first touch of a page the guest never used
costs the host's page fault: measured 4.5 ms per MB, against 0.7 ms once touched, which made
the daemon's heap growth 17% of its loop thread's time past 1 GB. The warm-up line shows both
rates, so a machine without the effect says so.

Usage: bench/sqs.py [--seconds 5] [--resident 1000000] [--durability normal|full] [--max-steal 5]
                    [--warm-mb 4096]
"""
import argparse
import json
import mmap
import os
import select
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("SLIPWAY_BUILD_DIR", os.path.join(ROOT, "build"))
TICKS = os.sysconf("SC_CLK_TCK")


def sqs(port, action, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=json.dumps(body).encode(),
                                 headers={"X-Amz-Target": f"AmazonSQS.{action}",
                                          "Content-Type": "application/x-amz-json-1.0"})
    with urllib.request.urlopen(req, timeout=60) as r:
        raw = r.read()
        return json.loads(raw) if raw else {}


def proc_sample(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    rss_mb = int(status["VmRSS"].split()[0]) / 1024
    threads = int(status["Threads"])
    return cpu, rss_mb, threads


def steal_sample():
    """(steal, total) jiffies of the whole machine: time the hypervisor gave to someone else."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return fields[7], sum(fields[:8])


def steal_pct(before, after):
    total = after[1] - before[1]
    return 100 * (after[0] - before[0]) / total if total else 0.0


def load(port, url, op, clients, seconds, batch=1, rate=0, max_requests=0):
    args = [os.path.join(BUILD, "sqs_load"), "--port", str(port), "--queue-url", url, "--op", op,
            "--clients", str(clients), "--seconds", str(seconds), "--batch", str(batch)]
    if rate:
        args += ["--rate", str(rate)]
    if max_requests:
        args += ["--max-requests", str(max_requests)]
    out = subprocess.run(args, capture_output=True, text=True, check=False)
    return json.loads(out.stdout)


def wrk_phase(pid, port, url, name, seconds, path="/", action=None, connections=8):
    """The same load from wrk (lighter than sqs_load, so the daemon gets more of the 2 cores)."""
    import shutil
    if not shutil.which("wrk"):
        print(f"{name:44s} skipped: wrk is not installed")
        return
    args = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, int(seconds))}s", "--latency"]
    if action:
        script = os.path.join(tempfile.mkdtemp(prefix="slipway-wrk-"), "send.lua")
        body = json.dumps({"QueueUrl": url, "MessageBody": "x" * 200})
        with open(script, "w") as f:
            f.write(f'wrk.method = "POST"\nwrk.body = [[{body}]]\n'
                    f'wrk.headers["Content-Type"] = "application/x-amz-json-1.0"\n'
                    f'wrk.headers["X-Amz-Target"] = "AmazonSQS.{action}"\n')
        args += ["-s", script]
    cpu0, _, _ = proc_sample(pid)
    st0 = steal_sample()
    t0 = time.monotonic()
    out = subprocess.run(args + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
    wall = time.monotonic() - t0
    cpu1, rss, threads = proc_sample(pid)
    steal = steal_pct(st0, steal_sample())
    rps = float(out.split("Requests/sec:")[1].split()[0])
    pct = {line.split()[0]: line.split()[1] for line in out.splitlines()
           if line.strip().startswith(("50%", "99%"))}
    print(f"{name:44s} {rps:>8.0f} req/s                 p50 {pct.get('50%'):>8s}  p99 {pct.get('99%'):>8s}"
          f"  daemon CPU {100 * (cpu1 - cpu0) / wall:>4.0f}%  RSS {round(rss)} MB  threads {threads}"
          f"  steal {steal:.1f}%", flush=True)


def warm_memory(mb):
    """Touches `mb` MiB, a page at a time, twice; prints the ms per 100 MiB of each pass."""
    if mb <= 0:
        return
    size = mb << 20
    passes = []
    for _ in range(2):
        m = mmap.mmap(-1, size)
        t0 = time.monotonic()
        for off in range(0, size, mmap.PAGESIZE):
            m[off] = 1
        passes.append((time.monotonic() - t0) * 1000 * 100 / mb)
        m.close()
    print(f"warm-up: touched {mb} MB twice: {passes[0]:.0f} then {passes[1]:.0f} ms per 100 MB",
          flush=True)


MAX_STEAL = 100.0  # --max-steal
ATTEMPTS = 3


def phase(pid, port, url, name, **kw):
    """Runs one load; while the hypervisor stole more than MAX_STEAL% of the machine during it,
    runs it again (up to ATTEMPTS in all) and keeps the attempt with the least steal."""
    best = None
    for attempt in range(1, ATTEMPTS + 1):
        cpu0, _, _ = proc_sample(pid)
        st0 = steal_sample()
        t0 = time.monotonic()
        r = load(port, url, **kw)
        wall = time.monotonic() - t0
        cpu1, rss, threads = proc_sample(pid)
        r.update(name=name, daemon_cpu=f"{100 * (cpu1 - cpu0) / wall:.0f}%", rss_mb=round(rss),
                 threads=threads, steal=steal_pct(st0, steal_sample()), attempt=attempt)
        if best is None or r["steal"] < best["steal"]:
            best = r
        if r["steal"] <= MAX_STEAL or kw.get("max_requests"):
            break
    r = best
    print(f"{name:44s} {r['rps']:>8.0f} req/s {r['mps']:>8.0f} msg/s  p50 {r['p50_us']:>5d} us"
          f"  p99 {r['p99_us']:>6d} us  errors {r['errors']}  daemon CPU {r['daemon_cpu']:>5s}"
          f"  RSS {r['rss_mb']} MB  threads {r['threads']}  steal {r['steal']:.1f}%"
          f" (attempt {r['attempt']})", flush=True)
    return r


def floor_phase(url, batch_answer, **kw):
    """The paced load against build/canned_server answering with `batch_answer` (the daemon's own
    SendMessageBatch answer, so the bytes on the wire match): the latency left when the work is
    taken away. Its "daemon CPU" is the canned server's."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as body:
        body.write(batch_answer)
        body.flush()
        server = subprocess.Popen([os.path.join(BUILD, "canned_server"), "--body-file", body.name],
                                  stdout=subprocess.PIPE, text=True)
        try:
            select.select([server.stdout], [], [], 10)
            port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
            return phase(server.pid, port, url, **kw)
        finally:
            server.terminate()
            server.wait(timeout=10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--resident", type=int, default=1_000_000)
    ap.add_argument("--durability", default="normal")
    ap.add_argument("--max-steal", type=float, default=5,
                    help="re-run a phase (up to 3 times) while the hypervisor stole more than this "
                         "percentage of the machine's CPU during it; the least-stolen run is shown")
    ap.add_argument("--warm-mb", type=int, default=4096,
                    help="memory to touch once before the daemon starts (0: none); see above")
    a = ap.parse_args()
    warm_memory(a.warm_mb)
    global MAX_STEAL
    MAX_STEAL = a.max_steal
    with tempfile.TemporaryDirectory(prefix="slipway-bench-") as tmp:
        daemon = subprocess.Popen([os.path.join(BUILD, "slipway"), "serve", "--port", "0",
                                   "--data-dir", os.path.join(tmp, "data"),
                                   "--durability", a.durability],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            select.select([daemon.stdout], [], [], 10)
            port = int(daemon.stdout.readline().strip().rsplit(":", 1)[1])
            pid = daemon.pid
            url = sqs(port, "CreateQueue", {"QueueName": "bench"})["QueueUrl"]
            s = a.seconds
            print(f"durability={a.durability} seconds/phase={s} max-steal={a.max_steal}%")
            phase(pid, port, url, "SendMessage, 1 client", op="send", clients=1, seconds=s)
            eight = phase(pid, port, url, "SendMessage, 8 clients", op="send", clients=8, seconds=s)
            phase(pid, port, url, "SendMessageBatch(10), 1 client", op="send", clients=1, seconds=s, batch=10)
            phase(pid, port, url, "SendMessageBatch(10), 8 clients", op="send", clients=8, seconds=s, batch=10)
            phase(pid, port, url, "Receive+Delete, 1 client", op="receive-delete", clients=1, seconds=s)
            phase(pid, port, url, "Receive+Delete, 8 clients", op="receive-delete", clients=8, seconds=s)
            phase(pid, port, url, "Receive(10)+DeleteBatch, 8 clients", op="receive-delete", clients=8,
                  seconds=s, batch=10)
            wrk_phase(pid, port, url, "SendMessage, wrk -t2 -c8", s, action="SendMessage")
            wrk_phase(pid, port, url, "GET /_slipway/health, wrk -t2 -c8", s, path="/_slipway/health")
            half = max(1, int(eight["rps"] / 2))
            phase(pid, port, url, f"SendMessage paced at {half}/s, 8 clients", op="send", clients=8,
                  seconds=s, rate=half)
            # Half of issue 3's target of 20,000 requests/s, whatever this run measured.
            phase(pid, port, url, "SendMessage paced at 10000/s, 8 clients", op="send", clients=8,
                  seconds=s, rate=10000)
            # And half of its 100,000 messages/s in batches: 5,000 SendMessageBatch(10) a second.
            phase(pid, port, url, "SendMessageBatch(10) paced at 5000/s, 8 clients", op="send",
                  clients=8, seconds=s, batch=10, rate=5000)
            answer = sqs(port, "SendMessageBatch", {"QueueUrl": url, "Entries": [
                {"Id": str(i), "MessageBody": "x" * 200} for i in range(10)]})
            floor_phase(url, json.dumps(answer, separators=(",", ":")),
                        name="the same, canned answers (canned_server)", op="send", clients=8,
                        seconds=s, batch=10, rate=5000)
            sqs(port, "PurgeQueue", {"QueueUrl": url})
            deep = sqs(port, "CreateQueue", {"QueueName": "bench-deep"})["QueueUrl"]
            phase(pid, port, deep, f"fill {a.resident} messages (batches of 10)", op="send", clients=8,
                  seconds=3600, batch=10, max_requests=a.resident // 10)
            attrs = sqs(port, "GetQueueAttributes", {"QueueUrl": deep, "AttributeNames": ["All"]})
            print(f"resident: {attrs['Attributes']['ApproximateNumberOfMessages']} messages")
            phase(pid, port, deep, "Receive+Delete at depth, 1 client", op="receive-delete", clients=1, seconds=s)
        finally:
            daemon.terminate()
            daemon.wait(timeout=30)


if __name__ == "__main__":
    main()
