"""Shared helpers for the Lambda integration tests that drive slipway with real AWS clients and
real runtime processes (fixtures/runtimes/README.md).

- Fixture folders: the C++ runtime and the aws-lambda-cpp one live in the CMake build dir (the
  directory of $SLIPWAY_BIN), the shell and node ones in the source tree. A missing
  prerequisite FAILS the test with a message naming scripts/setup: it is never skipped.
- LambdaTestCase starts one real daemon per test class with the manifest its `functions()`
  returns, in the class's own temp dir, and stops it in tearDownClass.
- The daemon keeps function logs in <data-dir>/logs/<function>/<stream>.log, one file per
  execution environment (platform/log_files.h); wait_for_report() polls them, with a deadline,
  for an invocation's REPORT line.

boto3 is imported lazily, so the CLI and JavaScript test files can use the rest without it.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

from harness import BIN, Daemon, fixture, wait_until  # noqa: F401 (re-exported for the Lambda tests)

REGION = "us-east-1"
ACCOUNT = "000000000000"  # the daemon's default Settings.AccountId
ACCESS_KEY = "test"
SECRET_KEY = "test"
BUILD_DIR = os.path.dirname(os.path.abspath(BIN))
CLI_V2_PATH = "/usr/bin/aws"

SETUP_HINT = "run scripts/setup"


def function_arn(name):
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


# ------------------------------------------------------------------------------ fixtures


def _require(path, what):
    if not os.path.exists(path):
        raise AssertionError(f"{what} is missing ({path}): {SETUP_HINT}")
    return path


def cpp_fixture_dir():
    """CodeUri of the C++ runtime fixture (target fixture_cpp_runtime)."""
    d = os.path.join(BUILD_DIR, "fixtures", "cpp")
    _require(os.path.join(d, "bootstrap"), "the C++ fixture runtime (cmake --build <build>)")
    return d


def shell_fixture_dir():
    d = fixture("runtimes", "shell")
    _require(os.path.join(d, "bootstrap"), "the shell fixture runtime")
    if shutil.which("curl") is None:
        raise AssertionError(f"curl (needed by the shell fixture) is not installed: {SETUP_HINT}")
    return d


def node_fixture_dir():
    d = fixture("runtimes", "node")
    _require(os.path.join(d, "node_modules", "aws-lambda-ric", "bin", "index.mjs"),
             "fixtures/runtimes/node/node_modules (npm ci)")
    if shutil.which("node") is None:
        raise AssertionError(f"node is not installed: {SETUP_HINT}")
    return d


def aws_lambda_cpp_fixture_dir():
    d = os.path.join(BUILD_DIR, "fixtures", "aws-lambda-cpp")
    _require(os.path.join(d, "bootstrap"),
             f"the aws-lambda-cpp fixture (fixtures/runtimes/aws-lambda-cpp/build.sh {BUILD_DIR})")
    return d


NODE_COMMAND = ["node", "node_modules/aws-lambda-ric/bin/index.mjs", "index.handler"]


def cpp_function(**extra):
    spec = {"CodeUri": cpp_fixture_dir(), "Handler": "x", "Timeout": 3, "MemorySize": 128}
    spec.update(extra)
    return spec


def node_function(**extra):
    spec = {"CodeUri": node_fixture_dir(), "Command": NODE_COMMAND, "Handler": "index.handler"}
    spec.update(extra)
    return spec


def write_manifest(directory, functions):
    path = os.path.join(directory, "slipway.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"Functions": functions}, f, indent=2)
    return path


# ------------------------------------------------------------------------------ daemon


class LambdaTestCase(unittest.TestCase):
    """One real daemon per class, serving the functions of `functions(tmp_dir)` (a classmethod
    returning the manifest's "Functions" object; tmp_dir is the class's own folder)."""

    daemon = None
    endpoint = None
    tmp_dir = None

    @classmethod
    def functions(cls, tmp_dir):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._tmp = tempfile.TemporaryDirectory(prefix="slipway-lambda-it-")
        cls.tmp_dir = cls._tmp.name
        try:
            manifest = write_manifest(cls.tmp_dir, cls.functions(cls.tmp_dir))
            cls.daemon = Daemon(data_dir=os.path.join(cls.tmp_dir, "data"), config=manifest)
            cls.daemon.start()
        except BaseException:
            cls._tmp.cleanup()
            raise
        cls.endpoint = cls.daemon.endpoint

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.daemon is not None:
                cls.daemon.stop()
        except UnicodeDecodeError:
            pass  # stop() re-reads stderr as UTF-8, and a function may print any bytes
        finally:
            if cls.daemon is not None:
                cls.daemon.kill()
            cls.daemon = None
            cls._tmp.cleanup()
        super().tearDownClass()

    def logs_dir(self, function):
        return os.path.join(self.daemon.data_dir, "logs", function)

    def wait_for_report(self, function, request_id, also=(), timeout=10.0):
        """Polls the function's log files until one holds the REPORT line of `request_id` and
        every line in `also`; returns (stream name, that file's lines without timestamps). Fails
        at the deadline."""
        def ready():
            found = find_report(self.logs_dir(function), request_id)
            return found if found and all(line in found[1] for line in also) else None

        found = wait_until(ready, timeout)
        if not found:
            self.fail(f"no REPORT for {request_id} (and lines {list(also)}) in {self.logs_dir(function)} "
                      f"within {timeout}s: {read_log_files(self.logs_dir(function))}")
        return found



# ------------------------------------------------------------------------------ logs


def decode_stream_file(filename):
    """The log stream name of a file in logs/<function>/: '-' stands for '/', %XX for a byte
    (platform/log_files.h)."""
    stem = filename[:-len(".log")] if filename.endswith(".log") else filename
    return urllib.parse.unquote(stem.replace("-", "/"))


def read_log_files(directory):
    """{stream name: [line, ...]} of every file in `directory`, the timestamps cut off."""
    out = {}
    try:
        names = sorted(os.listdir(directory))
    except FileNotFoundError:
        return out
    for name in names:
        with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as f:
            out[decode_stream_file(name)] = [line.rstrip("\n").split("\t", 1)[-1] for line in f]
    return out


def find_report(directory, request_id):
    """(stream, lines) of the file holding `request_id`'s REPORT line, or None."""
    prefix = f"REPORT RequestId: {request_id}\t"
    for stream, lines in read_log_files(directory).items():
        if any(line.startswith(prefix) for line in lines):
            return stream, lines
    return None


LOG_STREAM_RE = re.compile(r"^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$")


def report_re(request_id, memory_mb=128):
    """AWS's REPORT line (spec lambda.md §3.5): tab-separated fields, each followed by a tab;
    Init Duration only on a cold start, after Max Memory Used."""
    return re.compile(
        rf"^REPORT RequestId: {re.escape(request_id)}\tDuration: (?P<duration>\d+\.\d\d) ms"
        rf"\tBilled Duration: (?P<billed>\d+) ms\tMemory Size: {memory_mb} MB"
        rf"\tMax Memory Used: (?P<max_memory>\d+) MB\t(?:Init Duration: (?P<init>\d+\.\d\d) ms\t)?$")


def decode_log_result(value):
    return base64.b64decode(value).decode("utf-8")


# ------------------------------------------------------------------------------ clients


def lambda_client(endpoint, read_timeout=30):
    """boto3's Lambda client for `endpoint`: dummy credentials, us-east-1, no retries (an
    oversized or failed call must be seen once, as the daemon answered it)."""
    import boto3
    from botocore.config import Config
    config = Config(region_name=REGION, retries={"total_max_attempts": 1}, read_timeout=read_timeout,
                    connect_timeout=5)
    return boto3.client("lambda", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, config=config)


def client_env(extra=None):
    """An environment for AWS client subprocesses: dummy credentials, region us-east-1, no user
    config files, no pager, no endpoint from the environment, no instance-metadata lookups."""
    env = dict(os.environ)
    for key in list(env):
        if key.startswith("AWS_ENDPOINT_URL") or key in (
                "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CA_BUNDLE"):
            del env[key]
    env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    })
    if extra:
        env.update(extra)
    return env


def cli_version(path):
    try:
        p = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, env=client_env())
    except OSError:
        return ""
    return (p.stdout + p.stderr).strip()


def find_cli_v1():
    """AWS CLI v1: the `aws` beside this python (not pyenv's slower shim), else the first `aws` on
    PATH that is v1; None when there is none."""
    candidates = [os.path.join(os.path.dirname(sys.executable), "aws")]
    candidates += [os.path.join(d, "aws") for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    for path in candidates:
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            continue
        if os.path.realpath(path) == os.path.realpath(CLI_V2_PATH):
            continue
        if cli_version(path).startswith("aws-cli/1."):
            return path
    return None
