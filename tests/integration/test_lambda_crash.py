"""Durability of Event invocations across kill -9: an Event invoke answered 202 is acknowledged,
so it runs even when the daemon is killed before it ran; after a restart on the same data dir
every acknowledged event runs (at least once, as AWS's asynchronous invocation promises)."""
import os
import re
import tempfile
import unittest

from harness import Daemon
from lambda_helpers import cpp_function, lambda_client, read_log_files, wait_until, write_manifest

EVENTS = 20


class LambdaCrashTest(unittest.TestCase):
    def test_acknowledged_event_invocations_survive_kill_9(self):
        with tempfile.TemporaryDirectory(prefix="slipway-lambda-crash-") as tmp:
            # One environment at a time and 300 ms per event: most events still wait in the queue
            # when the daemon dies.
            manifest = write_manifest(tmp, {"slow": cpp_function(ReservedConcurrentExecutions=1, Timeout=10)})
            data_dir = os.path.join(tmp, "data")
            markers = [f"marker-{i}" for i in range(EVENTS)]
            d = Daemon(data_dir=data_dir, config=manifest).start()
            client = lambda_client(d.endpoint)
            for m in markers:
                r = client.invoke(FunctionName="slow", InvocationType="Event",
                                  Payload=f'{{"action": "print", "lines": ["{m}"], "ms": 0}}')
                self.assertEqual(r["StatusCode"], 202)
                client.invoke(FunctionName="slow", InvocationType="Event", Payload='{"action": "sleep", "ms": 300}')
            d.kill()  # SIGKILL
            logs = os.path.join(data_dir, "logs", "slow")

            def printed():
                return {line for lines in read_log_files(logs).values() for line in lines if line.startswith("marker-")}

            ran_before = printed()
            self.assertLess(len(ran_before), EVENTS, "every event ran before the kill: the test proves nothing")

            d2 = Daemon(data_dir=data_dir, config=manifest).start()
            try:
                self.assertTrue(wait_until(lambda: printed() >= set(markers), timeout=60),
                                f"events lost across kill -9: {sorted(set(markers) - printed())}")
                self.assertRegex(d2.stderr_text(), r"lambda: queued again \d+ Event invocations")
                queued_again = int(re.search(r"queued again (\d+)", d2.stderr_text()).group(1))
                self.assertGreaterEqual(queued_again, EVENTS - len(ran_before))
            finally:
                d2.kill()


    def test_runtimes_left_by_a_killed_daemon_are_stopped_at_restart(self):
        with tempfile.TemporaryDirectory(prefix="slipway-lambda-orphan-") as tmp:
            manifest = write_manifest(tmp, {"sleeper": cpp_function(Timeout=60)})
            data_dir = os.path.join(tmp, "data")
            d = Daemon(data_dir=data_dir, config=manifest).start()
            lambda_client(d.endpoint).invoke(FunctionName="sleeper", InvocationType="Event",
                                             Payload='{"action": "sleep", "ms": 60000}')
            logs = os.path.join(data_dir, "logs", "sleeper")
            self.assertTrue(wait_until(lambda: any(
                line.startswith("fixture: handling") for lines in read_log_files(logs).values() for line in lines), 10))
            envs = os.path.join(data_dir, "envs")
            pids = [int(open(os.path.join(envs, e, "pid")).read().split()[0]) for e in os.listdir(envs)]
            self.assertEqual(len(pids), 1)
            d.kill()  # SIGKILL: the runtime, in a session of its own, lives on
            self.assertTrue(os.path.exists(f"/proc/{pids[0]}"), "the runtime died with the daemon")
            d2 = Daemon(data_dir=data_dir, config=manifest).start()
            try:
                def gone():
                    try:
                        with open(f"/proc/{pids[0]}/stat") as f:
                            return f.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie is dead
                    except FileNotFoundError:
                        return True
                self.assertTrue(wait_until(gone, 5), "the orphaned runtime still runs")
                self.assertIn("lambda: stopped 1 runtime processes a killed daemon left running", d2.stderr_text())
            finally:
                d2.kill()


if __name__ == "__main__":
    unittest.main(verbosity=2)
