"""A thousand concurrent execution environments, really running: 1000 synchronous invokes of a
function whose runtime (fixtures/runtimes/hold, a tiny C runtime) holds each invocation open, so
1000 runtime processes are invoking at once; the 1001st invoke is throttled with AWS's 429; and
the daemon stays small while holding them (RSS under 300 MB, a constant number of threads: the
Runtime API listeners run on the loop thread). Prints the measurements it asserts on."""
import http.client
import json
import os
import threading
import time
import unittest

from harness import BIN, Daemon
from lambda_helpers import wait_until, write_manifest

N = 1000
HOLD_MS = 40_000
HOLD_DIR = os.path.join(os.path.dirname(os.path.abspath(BIN)), "fixtures", "hold")


def invoke(port, payload, timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/2015-03-31/functions/hold/invocations", body=json.dumps(payload))
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def proc_status(pid):
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read().rsplit(")", 1)[1].split()
    return {"rss_mb": int(fields["VmRSS"].split()[0]) / 1024, "threads": int(fields["Threads"]),
            "cpu_s": (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK"),
            "fds": len(os.listdir(f"/proc/{pid}/fd"))}


class ThousandEnvironmentsTest(unittest.TestCase):
    def test_1000_environments_held_at_once_and_the_1001st_throttled(self):
        if not os.access(os.path.join(HOLD_DIR, "bootstrap"), os.X_OK):
            self.fail(f"{HOLD_DIR}/bootstrap is missing: build with scripts/build")
        import tempfile
        with tempfile.TemporaryDirectory(prefix="slipway-scale-") as tmp:
            manifest = write_manifest(tmp, {"hold": {"CodeUri": HOLD_DIR, "Handler": "hold", "Timeout": 120}})
            with Daemon("--function-logs", "files", config=manifest) as d:
                try:
                    self.run_scale(d)
                except Exception:
                    print("daemon exit code:", d.proc.poll(), "\ndaemon stderr (tail):\n" + d.stderr_text()[-3000:])
                    raise

    def stats(self, d):
        return d.get_json("/_slipway/lambda")[1]["functions"]["hold"]

    def run_scale(self, d):
        results = [None] * N

        def one(i):
            results[i] = invoke(d.port, {"hold_ms": HOLD_MS, "i": i})

        threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(N)]
        cpu_before = proc_status(d.proc.pid)["cpu_s"]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        reached = wait_until(lambda: self.stats(d)["environments"]["invoking"] >= N, timeout=HOLD_MS / 1000 - 5,
                             interval=0.1)
        time_to_n = time.monotonic() - t0
        self.assertTrue(reached, f"only {self.stats(d)['environments']} after {time_to_n:.1f}s")
        spawn_cpu = proc_status(d.proc.pid)["cpu_s"] - cpu_before

        # Held: measure the daemon over 2 s, then the 1001st invoke.
        before = proc_status(d.proc.pid)
        time.sleep(2)
        held = proc_status(d.proc.pid)
        held_cpu_pct = (held["cpu_s"] - before["cpu_s"]) / 2 * 100
        stats = self.stats(d)
        self.assertEqual(stats["environments"]["invoking"], N)
        self.assertEqual(stats["concurrency_in_use"], N)
        status, headers, body = invoke(d.port, {"hold_ms": 0})
        self.assertEqual(status, 429, body)
        self.assertEqual(json.loads(body), {"Reason": "ConcurrentInvocationLimitExceeded", "Type": "User",
                                            "message": "Rate Exceeded."})
        self.assertEqual(headers.get("x-amzn-ErrorType"), "TooManyRequestsException")
        self.assertIn("Retry-After", headers)
        print(f"\n{N} environments invoking at once after {time_to_n:.1f} s "
              f"(daemon CPU {spawn_cpu:.1f} s to start them); while held: daemon RSS {held['rss_mb']:.0f} MB, "
              f"{held['threads']} threads, {held['fds']} open files, CPU {held_cpu_pct:.1f}%", flush=True)
        self.assertLess(held["rss_mb"], 300)
        self.assertLessEqual(held["threads"], 8, "threads must not grow with environments")

        for t in threads:
            t.join(timeout=HOLD_MS / 1000 + 60)
        answered = [r for r in results if r is not None]
        self.assertEqual(len(answered), N)
        self.assertEqual({r[0] for r in answered}, {200})
        self.assertEqual({json.loads(r[2])["held_ms"] for r in answered}, {HOLD_MS})
        self.assertTrue(all("X-Amz-Function-Error" not in r[1] for r in answered))


if __name__ == "__main__":
    unittest.main(verbosity=2)
