"""MemorySize enforced on each execution environment's whole process tree, with real runtime
processes (the C++ fixture, and a python runtime written here whose child leaves the process
group).

The daemon uses a memory cgroup per environment when it can make one (here: cgroup v1, as root,
below the test's own memory cgroup), else samples /proc. MemoryLimitTest runs the daemon as it
chooses; SamplingFallbackTest forces the fallback with SLIPWAY_MEMORY_ENFORCEMENT=sampling. Both
check: a function allocating past its MemorySize is killed (Runtime.ExitError "signal: killed" to
the caller, Runtime.OutOfMemory in REPORT) while the daemon and a neighbour's warm environment
are unaffected; Max Memory Used of a well-behaved function is within 2 MB of its real peak, the
runtime's own VmHWM read from /proc by this test; killing an environment kills its children.
Numbers worth knowing (overshoot, sampling cost, cold-start cost of the cgroup shim) are printed.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

from harness import Daemon
from lambda_helpers import LambdaTestCase, cpp_function, lambda_client, wait_until, write_manifest

MEMORY_MB = 128
OVERSHOOT_MARGIN_MB = 8    # sampling: at most ~4 ms of growth at 2 GB/s past the limit
PEAK_TOLERANCE_MB = 2      # the bound on Max Memory Used against the real peak
START_LINE_RE = re.compile(r"lambda: MemorySize is enforced by (cgroup v2|cgroup v1|sampling): (.+)")
MEASURED_RE = re.compile(r"went over its MemorySize \((\d+\.\d) MB measured\)")

# A runtime in python: "escape" starts a child in a session of its own (out of the runtime's
# process group, as a daemonizing helper would) and answers its pid; "hog_child" runs a child
# that holds 200 MB; "crash" exits 3; "sleep" outlasts any timeout.
PY_RUNTIME = r'''#!/usr/bin/env python3
import json, os, subprocess, sys, time, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as r:
        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(r.read() or b"{}")
    if event.get("action") == "crash":
        os._exit(3)
    if event.get("action") == "sleep":
        time.sleep(600)
    if event.get("action") == "hog_child":
        subprocess.run([sys.executable, "-c", "import time; b = b'x' * (200 << 20); time.sleep(60)"])
    child = subprocess.Popen(["sleep", "600"], start_new_session=True, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    body = json.dumps({"pid": child.pid, "pgid": os.getpgid(child.pid), "runtime_pgid": os.getpgrp()})
    urllib.request.urlopen(urllib.request.Request(api + request_id + "/response", data=body.encode()))
'''


# ------------------------------------------------------------------------------ /proc and cgroups


def read_text(path):
    with open(path) as f:
        return f.read()


def alive(pid):
    """True while `pid` runs; a zombie (exited, not yet reaped by its new parent) is dead."""
    try:
        state = read_text(f"/proc/{pid}/stat").rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def vm_hwm_kb(pid):
    return int(re.search(r"^VmHWM:\s+(\d+) kB$", read_text(f"/proc/{pid}/status"), re.M).group(1))


def cpu_seconds(pid):  # user plus system time so far
    fields = read_text(f"/proc/{pid}/stat").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cgroup_dirs():
    """{'v1': dir of our memory cgroup, 'v2': dir of our v2 cgroup}, for the hierarchies mounted."""
    mounts = {}
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, right = line.split(" - ", 1)
            fields, (fstype, _, options) = left.split(), right.split()[:3]
            if fstype == "cgroup2":
                mounts.setdefault("v2", (fields[4], fields[3]))
            elif fstype == "cgroup" and "memory" in options.split(","):
                mounts.setdefault("v1", (fields[4], fields[3]))
    dirs = {}
    with open("/proc/self/cgroup") as f:
        for line in f:
            hid, controllers, path = line.rstrip("\n").split(":", 2)
            kind = "v2" if hid == "0" and controllers == "" else "v1" if "memory" in controllers.split(",") else None
            if kind in mounts:
                mount, root = mounts[kind]
                rel = path[len(root):] if root != "/" and path.startswith(root) else path
                dirs[kind] = mount + (rel if rel != "/" else "")
    return dirs


def expected_mode():
    """What the daemon should choose here, probed independently: can a child of our cgroup be
    made and limited?"""
    dirs = own_cgroup_dirs()
    v2 = dirs.get("v2")
    if v2 and "memory" in read_text(os.path.join(v2, "cgroup.subtree_control")).split():
        return "cgroup v2"
    v1 = dirs.get("v1")
    if v1:
        probe = os.path.join(v1, f"slipwaytest-{os.getpid()}")
        try:
            os.mkdir(probe)
            with open(os.path.join(probe, "memory.limit_in_bytes"), "w") as f:
                f.write(str(MEMORY_MB << 20))
            return "cgroup v1"
        except OSError:
            pass
        finally:
            if os.path.isdir(probe):
                os.rmdir(probe)
    return "sampling"


def cgroup_parent(mode):
    return own_cgroup_dirs().get({"cgroup v1": "v1", "cgroup v2": "v2"}.get(mode))


def daemon_cgroups(parent, daemon_pid):
    prefix = f"slipway-{daemon_pid}-env-"
    return sorted(n for n in os.listdir(parent) if n.startswith(prefix)) if parent else []


def dead_pid():  # a pid no process has now
    pid = int(read_text("/proc/sys/kernel/pid_max")) - 7
    while os.path.exists(f"/proc/{pid}"):
        pid -= 1
    return pid


# ------------------------------------------------------------------------------ tests


class MemoryLimitTest(LambdaTestCase):
    """The daemon as it chooses on this machine."""

    ENFORCEMENT = None  # SLIPWAY_MEMORY_ENFORCEMENT for the daemon; None: not set (auto)

    @classmethod
    def functions(cls, tmp_dir):
        py = os.path.join(tmp_dir, "py")
        os.mkdir(py)
        with open(os.path.join(py, "bootstrap"), "w") as f:
            f.write(PY_RUNTIME)
        os.chmod(os.path.join(py, "bootstrap"), 0o755)
        return {
            "hog": cpp_function(MemorySize=MEMORY_MB, Timeout=10),
            "steady": cpp_function(MemorySize=MEMORY_MB, Timeout=10),
            "neighbour": cpp_function(MemorySize=MEMORY_MB, Timeout=10),
            # Forked children share their parent's pages: sampling sums their RSS, so leave room.
            "kids": cpp_function(Timeout=1, MemorySize=1024),
            "idle": cpp_function(Timeout=10),
            "solo": cpp_function(MemorySize=MEMORY_MB),
            "escaping": {"CodeUri": py, "Handler": "x", "Timeout": 1, "MemorySize": MEMORY_MB},
            "pyhog": {"CodeUri": py, "Handler": "x", "Timeout": 10, "MemorySize": MEMORY_MB},
        }

    @classmethod
    def setUpClass(cls):
        saved = os.environ.get("SLIPWAY_MEMORY_ENFORCEMENT")
        os.environ.pop("SLIPWAY_MEMORY_ENFORCEMENT", None)
        if cls.ENFORCEMENT:
            os.environ["SLIPWAY_MEMORY_ENFORCEMENT"] = cls.ENFORCEMENT
        try:
            super().setUpClass()  # the daemon inherits the variable
        finally:
            os.environ.pop("SLIPWAY_MEMORY_ENFORCEMENT", None)
            if saved is not None:
                os.environ["SLIPWAY_MEMORY_ENFORCEMENT"] = saved
        cls.client = lambda_client(cls.endpoint)
        m = START_LINE_RE.search(cls.daemon.stderr_text())
        cls.mode = m.group(1) if m else None
        cls.escaped = []

    @classmethod
    def tearDownClass(cls):
        for pid in cls.escaped:  # only left alive when a test failed
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        super().tearDownClass()

    # -- helpers -------------------------------------------------------------------------------

    def invoke(self, function, event):
        r = self.client.invoke(FunctionName=function, Payload=json.dumps(event).encode())
        body = r.pop("Payload").read()
        self.assertEqual(r["StatusCode"], 200)
        return r, body, r["ResponseMetadata"]["RequestId"]

    def invoke_ok(self, function, event):
        r, body, request_id = self.invoke(function, event)
        self.assertNotIn("FunctionError", r, body)
        return json.loads(body), request_id

    def report(self, function, request_id):  # (REPORT line, log stream)
        stream, lines = self.wait_for_report(function, request_id)
        return next(line for line in lines if line.startswith(f"REPORT RequestId: {request_id}\t")), stream

    def max_memory_used(self, report):
        return int(re.search(r"\tMax Memory Used: (\d+) MB\t", report).group(1))

    def runtime_pid(self, function):
        """The pid of `function`'s one live runtime, from the daemon's <data-dir>/envs/*/pid."""
        envs = os.path.join(self.daemon.data_dir, "envs")
        for name in os.listdir(envs):
            try:
                pid = int(read_text(os.path.join(envs, name, "pid")).split()[0])
                with open(f"/proc/{pid}/environ", "rb") as f:
                    if f"AWS_LAMBDA_FUNCTION_NAME={function}".encode() in f.read().split(b"\0"):
                        return pid
            except (FileNotFoundError, ProcessLookupError):
                continue
        self.fail(f"no live runtime of {function}")

    def cgroup_mode(self):
        return self.mode in ("cgroup v1", "cgroup v2")
    # -- tests ---------------------------------------------------------------------------------

    def test_start_up_line_names_the_mode(self):
        self.assertIsNotNone(self.mode, self.daemon.stderr_text())
        line = START_LINE_RE.search(self.daemon.stderr_text()).group(0)
        print(f"\n  start-up line: {line}", file=sys.stderr)
        if self.ENFORCEMENT == "sampling":
            self.assertEqual(self.mode, "sampling")
            self.assertIn("SLIPWAY_MEMORY_ENFORCEMENT=sampling", line)
            self.assertIn("every 2 to 100 ms", line)
        else:
            self.assertEqual(self.mode, expected_mode(), line)
        if self.mode == "cgroup v1":
            self.assertIn(cgroup_parent(self.mode), line)
            self.assertIn("cgroup v2 is not usable", line)

    def test_allocating_past_memory_size_is_killed_with_an_oom_report(self):
        _, before_id = self.invoke_ok("neighbour", {"action": "alloc", "mb": 16})
        _, neighbour_stream = self.report("neighbour", before_id)
        neighbour_pid = self.runtime_pid("neighbour")

        r, body, request_id = self.invoke("hog", {"action": "alloc", "mb": 200})
        self.assertEqual(r.get("FunctionError"), "Unhandled", body)
        self.assertEqual(json.loads(body), {
            "errorType": "Runtime.ExitError",
            "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: signal: killed"})
        report, _ = self.report("hog", request_id)
        self.assertTrue(report.endswith("\tStatus: error\tError Type: Runtime.OutOfMemory\t"), report)
        used = self.max_memory_used(report)
        self.assertGreaterEqual(used, MEMORY_MB, report)
        if self.cgroup_mode():
            self.assertEqual(used, MEMORY_MB, "the cgroup never lets the tree past its limit")
        else:
            overshoot = [float(x) - MEMORY_MB for x in MEASURED_RE.findall(self.daemon.stderr_text())]
            self.assertTrue(overshoot, "the daemon says what it measured when it kills")
            print(f"\n  sampling overshoot past {MEMORY_MB} MB: {overshoot[-1]:.1f} MB", file=sys.stderr)
            self.assertLessEqual(overshoot[-1], OVERSHOOT_MARGIN_MB)
            self.assertLessEqual(used, MEMORY_MB + OVERSHOOT_MARGIN_MB + 1, report)

        with self.subTest("the daemon and the neighbour's warm environment are unaffected"):
            _, after_id = self.invoke_ok("neighbour", {"action": "echo"})
            after_report, after_stream = self.report("neighbour", after_id)
            self.assertEqual(after_stream, neighbour_stream, "the same environment answered")
            self.assertNotIn("Init Duration", after_report)
            self.assertEqual(self.runtime_pid("neighbour"), neighbour_pid)
            self.assertGreaterEqual(self.max_memory_used(after_report), 16)
            self.assertIsNone(self.daemon.proc.poll(), "the daemon runs")
        with self.subTest("the function itself runs again, in a new environment"):
            payload, again_id = self.invoke_ok("hog", {"action": "alloc", "mb": 8})
            self.assertEqual(payload, {"allocated_mb": 8, "held_mb": 8})
            self.assertIn("Init Duration", self.report("hog", again_id)[0])

    def test_a_child_past_the_limit_kills_the_whole_environment(self):
        r, body, request_id = self.invoke("pyhog", {"action": "hog_child"})
        self.assertEqual(json.loads(body), {
            "errorType": "Runtime.ExitError",
            "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: signal: killed"})
        report, _ = self.report("pyhog", request_id)
        self.assertTrue(report.endswith("\tError Type: Runtime.OutOfMemory\t"), report)

    def test_max_memory_used_is_the_measured_peak(self):
        _, base_id = self.invoke_ok("steady", {"action": "echo"})
        baseline = self.max_memory_used(self.report("steady", base_id)[0])
        payload, alloc_id = self.invoke_ok("steady", {"action": "alloc", "mb": 64})
        self.assertEqual(payload["allocated_mb"], 64)
        used = self.max_memory_used(self.report("steady", alloc_id)[0])
        real_peak_mb = vm_hwm_kb(self.runtime_pid("steady")) / 1024
        print(f"\n  Max Memory Used {used} MB; the runtime's VmHWM {real_peak_mb:.1f} MB; "
              f"baseline {baseline} MB + 64 = {baseline + 64} MB", file=sys.stderr)
        self.assertLessEqual(abs(used - real_peak_mb), PEAK_TOLERANCE_MB)
        self.assertLessEqual(abs(used - (baseline + 64)), PEAK_TOLERANCE_MB)

    def test_killing_an_environment_kills_its_children(self):
        for ending, spawn, event, error_type in [
                ("timeout", {"action": "spawn_child", "count": 8}, {"action": "sleep", "ms": 5000}, "Sandbox.Timedout"),
                ("crash", {"action": "fork_bomb", "count": 100}, {"action": "crash", "code": 2}, "Runtime.ExitError")]:
            with self.subTest(ending):
                payload, _ = self.invoke_ok("kids", spawn)
                pids = payload["pids"]
                self.assertEqual(len(pids), spawn["count"])
                self.assertTrue(all(alive(p) for p in pids))
                r, body, _ = self.invoke("kids", event)
                self.assertEqual(json.loads(body)["errorType"], error_type, body)
                self.assertTrue(wait_until(lambda: not any(alive(p) for p in pids), 5),
                                [p for p in pids if alive(p)])

    def test_children_that_left_the_process_group_die_with_the_environment(self):
        if not self.cgroup_mode():
            # Sampling has no cgroup: only the process group is killed (docs/lambda.md).
            self.assertEqual(self.mode, "sampling")
            return
        for ending, event, error_type in [("timeout", {"action": "sleep"}, "Sandbox.Timedout"),
                                          ("crash", {"action": "crash"}, "Runtime.ExitError")]:
            with self.subTest(ending):
                payload, _ = self.invoke_ok("escaping", {"action": "escape"})
                self.escaped.append(payload["pid"])
                self.assertNotEqual(payload["pgid"], payload["runtime_pgid"], "the child left the group")
                self.assertTrue(alive(payload["pid"]))
                r, body, _ = self.invoke("escaping", event)
                self.assertEqual(json.loads(body)["errorType"], error_type, body)
                self.assertTrue(wait_until(lambda: not alive(payload["pid"]), 5),
                                f"the child {payload['pid']} outside the group outlived its environment")

    def test_environment_cgroups_are_made_and_removed(self):
        if not self.cgroup_mode():
            self.assertEqual(daemon_cgroups(cgroup_parent("cgroup v1"), self.daemon.proc.pid), [])
            return
        parent = cgroup_parent(self.mode)
        self.invoke_ok("solo", {"action": "echo"})
        pid = self.runtime_pid("solo")
        mine = [n for n in daemon_cgroups(parent, self.daemon.proc.pid)
                if str(pid) in read_text(os.path.join(parent, n, "cgroup.procs")).split()]
        self.assertEqual(len(mine), 1, "the runtime sits in a cgroup of its own")
        limit_file = "memory.limit_in_bytes" if self.mode == "cgroup v1" else "memory.max"
        self.assertEqual(int(read_text(os.path.join(parent, mine[0], limit_file))), MEMORY_MB << 20)
        self.invoke("solo", {"action": "crash"})
        self.assertTrue(wait_until(lambda: not os.path.exists(os.path.join(parent, mine[0])), 5),
                        f"{mine[0]} was not removed when its environment ended")

    def test_cost_of_watching_idle_environments(self):
        """Not a limit: prints the daemon's CPU use with 16 idle environments, and cold starts."""
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda _: self.invoke_ok("idle", {"action": "sleep", "ms": 300}), range(16)))
        time.sleep(0.3)
        start_cpu, start = cpu_seconds(self.daemon.proc.pid), time.monotonic()
        time.sleep(2)
        per_second_ms = (cpu_seconds(self.daemon.proc.pid) - start_cpu) / (time.monotonic() - start) * 1000
        inits = []
        for _ in range(5):
            self.invoke("kids", {"action": "crash"})
            _, request_id = self.invoke_ok("kids", {"action": "echo"})
            inits.append(float(re.search(r"Init Duration: (\d+\.\d\d) ms", self.report("kids", request_id)[0])[1]))
        print(f"\n  {self.mode}: daemon CPU with 16 idle environments {per_second_ms:.1f} ms/s; "
              f"cold start Init Duration median {sorted(inits)[2]:.2f} ms", file=sys.stderr)
        self.assertLess(per_second_ms, 100)


class SamplingFallbackTest(MemoryLimitTest):
    """The fallback, forced: /proc sampled every 2 to 100 ms."""

    ENFORCEMENT = "sampling"


class StaleCgroupTest(unittest.TestCase):
    """Cgroups a killed daemon left are removed at the next start, with what still ran in them."""

    def sleeper_in(self, cgroup):
        """A process put into `cgroup`, as a runaway child of a runtime would be."""
        p = subprocess.Popen(["sleep", "600"], start_new_session=True)
        self.addCleanup(lambda: (p.kill(), p.wait()))
        with open(os.path.join(cgroup, "cgroup.procs"), "w") as f:
            f.write(str(p.pid))
        return p.pid

    def test_a_killed_daemons_cgroups_are_removed_at_start(self):
        mode = expected_mode()
        parent = cgroup_parent(mode)
        with tempfile.TemporaryDirectory(prefix="slipway-lambda-memory-") as tmp:
            manifest = write_manifest(tmp, {"fn": cpp_function(MemorySize=MEMORY_MB)})
            data_dir = os.path.join(tmp, "data")
            planted, sleepers = None, []
            if parent:
                planted = os.path.join(parent, f"slipway-{dead_pid()}-env-7")
                os.mkdir(planted)
                sleepers.append(self.sleeper_in(planted))
            with Daemon(data_dir=data_dir, config=manifest) as first:
                self.assertEqual(START_LINE_RE.search(first.stderr_text()).group(1), mode)
                if planted:
                    self.assertFalse(os.path.exists(planted), "a dead daemon's cgroup is removed at start")
                    # Other daemons killed here (by this or other tests) may have left some too.
                    self.assertRegex(first.stderr_text(), r"removed [1-9]\d* cgroups a killed daemon left")
                    self.assertFalse(alive(sleepers[0]), "what ran in it is killed")
                lambda_client(first.endpoint).invoke(FunctionName="fn", Payload=b'{"action":"echo"}')
                first_pid = first.proc.pid
                left = daemon_cgroups(parent, first_pid)
                self.assertEqual(len(left), 1 if parent else 0)
            # Leaving the block SIGKILLs the daemon; its runtime exits once the Runtime API is
            # gone, but a runaway child of it would stay in the cgroup: plant one.
            if parent:
                sleepers.append(self.sleeper_in(os.path.join(parent, left[0])))
            with Daemon(data_dir=data_dir, config=manifest) as second:
                self.assertEqual(daemon_cgroups(parent, first_pid), [], "the killed daemon's cgroup is removed")
                self.assertFalse(any(alive(p) for p in sleepers))
                lambda_client(second.endpoint).invoke(FunctionName="fn", Payload=b'{"action":"echo"}')
                self.assertEqual(second.stop()[0], 0)
                self.assertEqual(daemon_cgroups(parent, second.proc.pid), [], "a clean stop leaves none")


if __name__ == "__main__":
    unittest.main(verbosity=2)
