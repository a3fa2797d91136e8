"""The daemon's lifecycle, driven from outside as a user or CI would: start on port 0, answer the
admin API, shut down cleanly on SIGTERM/SIGINT, refuse a second daemon on the same data dir,
refuse a broken manifest, and notice an unclean stop."""
import os
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest

from harness import Daemon, fixture, run_cli


class LifecycleTest(unittest.TestCase):
    def test_health_then_sigterm_exits_cleanly(self):
        with Daemon() as d:
            status, health = d.get_json("/_slipway/health")
            self.assertEqual(status, 200)
            self.assertEqual(health["status"], "ok")
            self.assertEqual(health["port"], d.port)
            self.assertEqual(health["host"], "127.0.0.1")
            self.assertEqual(health["data_dir"], os.path.realpath(d.data_dir))
            self.assertGreaterEqual(health["schema_version"], 1)
            self.assertIsNone(health["manifest"])
            self.assertGreaterEqual(health["uptime_seconds"], 0)
            self.assertRegex(health["version"], r"^\d+\.\d+\.\d+$")

            started = time.monotonic()
            d.signal(signal.SIGTERM)
            code, _, err = d.wait(timeout=5)
            elapsed = time.monotonic() - started
            self.assertEqual(code, 0, err)
            self.assertLess(elapsed, 2.0, "shutdown must finish within 2 s")
            self.assertIn("received SIGTERM, shutting down", err)
            self.assertIn("stopped", err)

            # The run was recorded and closed, and the lock is free for the next daemon.
            db = sqlite3.connect(os.path.join(d.data_dir, "slipway.db"))
            rows = db.execute("SELECT stopped_at_ms IS NOT NULL FROM daemon_runs").fetchall()
            newest = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
            db.close()
            self.assertEqual(rows, [(1,)])
            self.assertEqual(newest, health["schema_version"])
            again = Daemon(data_dir=d.data_dir).start()
            self.assertEqual(again.get_json("/_slipway/health")[0], 200)
            self.assertEqual(again.stop()[0], 0)

    def test_sigint_exits_cleanly(self):
        with Daemon() as d:
            d.signal(signal.SIGINT)
            code, _, err = d.wait(timeout=5)
            self.assertEqual(code, 0, err)
            self.assertIn("received SIGINT", err)

    def test_second_daemon_on_same_data_dir_is_refused(self):
        with Daemon() as first:
            code, out, err = run_cli("serve", "--port", "0", "--data-dir", first.data_dir, timeout=10)
            self.assertEqual(code, 3, err)
            self.assertIn(f"another slipway (pid {first.proc.pid}) is already serving", err)
            self.assertNotIn("listening", out)
            self.assertEqual(first.get_json("/_slipway/health")[0], 200)  # the first is untouched

    def test_unclean_stop_is_noticed_on_restart(self):
        with Daemon() as d:
            d.kill()  # SIGKILL: no chance to record the stop
            again = Daemon(data_dir=d.data_dir).start()
            code, _, err = again.stop()
            self.assertEqual(code, 0)
            self.assertIn("did not stop cleanly", err)

    def test_state_reports_the_manifest(self):
        with Daemon(config=fixture("manifests", "sample.json")) as d:
            status, health = d.get_json("/_slipway/health")
            self.assertEqual(health["manifest"], fixture("manifests", "sample.json"))
            status, state = d.get_json("/_slipway/state")
            self.assertEqual(status, 200)
            self.assertIn("transform", state["Functions"])
            self.assertIn("deliveries", state["Queues"])
            self.assertEqual(state["Functions"]["deliver"]["ReservedConcurrentExecutions"], 2)

    def test_listen_backlog_is_raised(self):
        # cpp-httplib's compiled-in backlog of 5 made the 6th simultaneous connect wait ~1 s for
        # a SYN retry; the daemon raises it. For a listening socket `ss` shows the backlog as Send-Q.
        with Daemon() as d:
            out = subprocess.run(["ss", "-ltnH", f"sport = :{d.port}"], capture_output=True,
                                 text=True, check=True).stdout.split()
            self.assertGreaterEqual(int(out[2]), 128, out)

    def test_unknown_path_gets_a_json_404(self):
        with Daemon() as d:
            status, headers, body = d.get("/_slipway/nothing-here")
            self.assertEqual(status, 404)
            self.assertIn("application/json", headers.get("Content-Type", ""))
            self.assertIn(b"/_slipway/nothing-here", body)


class BrokenManifestTest(unittest.TestCase):
    def test_broken_manifest_exits_2_naming_each_path(self):
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = os.path.join(tmp, "data")
            code, out, err = run_cli("serve", "--port", "0", "--data-dir", data_dir,
                                     "--config", fixture("manifests", "broken.json"))
            self.assertEqual(code, 2)
            self.assertIn("the manifest is invalid", err)
            self.assertIn("broken.json: Functions.transform.MemorySize: 5000 is out of range", err)
            self.assertIn("128 to 3008", err)
            self.assertIn("Functions.transform.Timeout", err)
            self.assertIn("EventSourceMappings[0]", err)
            self.assertNotIn("listening", out)
            self.assertFalse(os.path.exists(data_dir), "nothing may be started or created")

    def test_missing_manifest_file_exits_2(self):
        code, _, err = run_cli("serve", "--port", "0", "--config", "/nonexistent/slipway.json")
        self.assertEqual(code, 2)
        self.assertIn("/nonexistent/slipway.json", err)
        self.assertIn("cannot read", err)

    def test_invalid_json_names_the_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "slipway.json")
            with open(path, "w") as f:
                f.write('{\n  "Queues": {\n    "a": { "VisibilityTimeout": 30, }\n  }\n}\n')
            code, _, err = run_cli("serve", "--port", "0", "--config", path)
            self.assertEqual(code, 2)
            self.assertIn("slipway.json", err)
            self.assertIn("line 3", err)


class CliTest(unittest.TestCase):
    def test_help_and_version(self):
        code, out, _ = run_cli("--help")
        self.assertEqual(code, 0)
        self.assertIn("Exit codes:", out)
        self.assertIn("serve", out)
        code, out, _ = run_cli("serve", "--help")
        self.assertEqual(code, 0)
        self.assertIn("--data-dir", out)
        code, out, _ = run_cli("--version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^slipway \d+\.\d+\.\d+\n$")

    def test_usage_errors_exit_2(self):
        for args, needle in [(["frobnicate"], "unknown command 'frobnicate'"),
                             (["serve", "--port", "99999"], "--port expects a number from 0 to 65535"),
                             (["serve", "--port"], "--port expects a value"),
                             (["serve", "--bogus"], "unknown option '--bogus'"),
                             (["serve", "--durability", "sometimes"], "--durability expects")]:
            code, out, err = run_cli(*args)
            self.assertEqual(code, 2, args)
            self.assertIn(needle, err)
            self.assertEqual(out, "")

    def test_port_in_use_exits_1(self):
        with Daemon() as d, tempfile.TemporaryDirectory() as tmp:
            code, _, err = run_cli("serve", "--port", str(d.port), "--data-dir", tmp)
            self.assertEqual(code, 1)
            self.assertIn(f"cannot listen on 127.0.0.1:{d.port}", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
