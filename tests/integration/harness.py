"""Starts the real slipway daemon on loopback for integration tests.

Each Daemon gets its own temporary data directory and port 0, so tests can run in parallel.
The binary comes from $SLIPWAY_BIN (set by CTest), else build/slipway.
"""
import json
import os
import select
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

SOURCE_DIR = os.environ.get(
    "SLIPWAY_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN = os.environ.get("SLIPWAY_BIN", os.path.join(SOURCE_DIR, "build", "slipway"))
READY_PREFIX = "slipway: listening on "


def fixture(*parts):
    return os.path.join(SOURCE_DIR, "fixtures", *parts)


def wait_until(predicate, timeout, interval=0.05):
    """Polls predicate() until it returns a truthy value or timeout seconds pass; returns the
    last value. For integration tests only, where the daemon runs on its own clock."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def run_cli(*args, timeout=30, cwd=None):
    """Runs slipway to completion; returns (exit code, stdout, stderr)."""
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


class Daemon:
    """A running `slipway serve`. Use as a context manager, or call start()/stop()."""

    def __init__(self, *extra_args, data_dir=None, config=None):
        self._own_tmp = None
        if data_dir is None:
            self._own_tmp = tempfile.TemporaryDirectory(prefix="slipway-it-")
            data_dir = os.path.join(self._own_tmp.name, "data")
        self.data_dir = data_dir
        self.args = [BIN, "serve", "--port", "0", "--data-dir", data_dir, *extra_args]
        if config:
            self.args += ["--config", config]
        self.proc = None
        self.port = None
        self.stdout_lines = []
        # stderr goes to a file, not a pipe: the daemon echoes every function log line there,
        # and a pipe nobody drains during the test would fill and stall it.
        # Functions may print any bytes: decode leniently.
        self._stderr_file = tempfile.TemporaryFile(mode="w+", prefix="slipway-stderr-", errors="replace")

    def stderr_text(self):
        """Everything the daemon wrote to stderr so far."""
        self._stderr_file.flush()
        self._stderr_file.seek(0)
        return self._stderr_file.read()

    def start(self, timeout=10.0):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=self._stderr_file,
                                     text=True, bufsize=1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], deadline - time.monotonic())
            if not ready:
                break
            line = self.proc.stdout.readline()
            if not line:
                break
            self.stdout_lines.append(line)
            if line.startswith(READY_PREFIX):
                self.port = int(line.strip().rsplit(":", 1)[1])
                return self
        self.kill()
        err = self.stderr_text()
        raise RuntimeError(f"slipway did not become ready; exit={self.proc.returncode} stderr={err}")

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path):
        """GET a path; returns (status, headers, body bytes) without raising on 4xx/5xx."""
        try:
            with urllib.request.urlopen(self.endpoint + path, timeout=10) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def get_json(self, path):
        status, _, body = self.get(path)
        return status, json.loads(body)

    def signal(self, signum):
        self.proc.send_signal(signum)

    def wait(self, timeout):
        """Waits for exit; returns (exit code, remaining stdout, stderr)."""
        out, _ = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, self.stderr_text()

    def stop(self, timeout=5.0):
        if self.proc and self.proc.poll() is None:
            self.signal(signal.SIGTERM)
            return self.wait(timeout)
        return self.proc.returncode if self.proc else None, "", ""

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()
        self._stderr_file.close()
        if self._own_tmp:
            self._own_tmp.cleanup()
