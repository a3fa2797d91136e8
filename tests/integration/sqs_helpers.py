"""Shared helpers for the SQS integration tests that drive slipway with real AWS clients.

Endpoint selection: when $SQS_ENDPOINT is set (e.g. a moto_server used as a second opinion on
AWS's behaviour) every test talks to it; otherwise each test class starts the real daemon once
(harness.Daemon) and uses its endpoint. Tests that a reference server is known to get wrong are
marked with reference_gap(...): they are skipped ONLY under $SQS_ENDPOINT, never against slipway.

boto3 is imported lazily, so the CLI and JavaScript test files can use the rest without it.
"""
import hashlib
import os
import re
import struct
import time
import unittest
import urllib.parse
import uuid

from harness import Daemon, wait_until  # noqa: F401 (re-exported for the SQS tests)

REGION = "us-east-1"
ACCESS_KEY = "test"
SECRET_KEY = "test"


def external_endpoint():
    """The endpoint from $SQS_ENDPOINT (a reference server such as moto_server), or None."""
    value = os.environ.get("SQS_ENDPOINT", "").strip()
    return value.rstrip("/") or None


def reference_gap(reason):
    """Skips a test only when it runs against a reference server ($SQS_ENDPOINT): the reference
    deviates from AWS there. Against slipway the test always runs, unweakened. SQS_RUN_GAPS=1
    runs them against the reference too (to confirm the gap is still there)."""
    skip = external_endpoint() is not None and not os.environ.get("SQS_RUN_GAPS")
    return unittest.skipIf(skip, f"reference server gap ($SQS_ENDPOINT): {reason}")


def client_env(extra=None):
    """An environment for AWS client subprocesses: dummy credentials, region us-east-1, no user
    config files, no pager, no instance-metadata lookups."""
    env = dict(os.environ)
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SQS", "AWS_CA_BUNDLE"):
        env.pop(key, None)
    env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "2",
    })
    if extra:
        env.update(extra)
    return env


def boto3_client(endpoint, validate=True, read_timeout=30):
    """A boto3 SQS client for `endpoint` with dummy credentials in us-east-1. validate=False turns
    off botocore's client-side parameter validation so the server's own checks are reached."""
    import boto3
    from botocore.config import Config
    config = Config(region_name=REGION, retries={"max_attempts": 2, "mode": "standard"},
                    parameter_validation=validate, read_timeout=read_timeout, connect_timeout=5)
    session = boto3.session.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                                    region_name=REGION)
    return session.client("sqs", endpoint_url=endpoint, config=config)


def unique_name(hint="q", fifo=False):
    """A queue name unique to this run: slw-<hint>-<12 hex>[.fifo], within SQS's 80 chars."""
    hint = re.sub(r"[^A-Za-z0-9_-]", "-", hint)[:40]
    name = f"slw-{hint}-{uuid.uuid4().hex[:12]}"
    return name + ".fifo" if fifo else name


def md5_hex(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.md5(data).hexdigest()


def md5_of_message_attributes(attributes):
    """MD5OfMessageAttributes as AWS computes it (spec sqs.md §3.3): per attribute in ascending
    name order: length-prefixed name, length-prefixed DataType, a transport byte (1 string,
    2 binary), length-prefixed value bytes. `attributes` is the boto3-shaped map
    {name: {"DataType": ..., "StringValue": str | "BinaryValue": bytes}}. None when empty."""
    if not attributes:
        return None

    def prefixed(raw):
        return struct.pack(">I", len(raw)) + raw

    buf = b""
    for name in sorted(attributes, key=lambda n: n.encode("utf-16-be")):
        attr = attributes[name]
        buf += prefixed(name.encode("utf-8")) + prefixed(attr["DataType"].encode("utf-8"))
        if "StringValue" in attr:
            buf += b"\x01" + prefixed(attr["StringValue"].encode("utf-8"))
        else:
            value = attr["BinaryValue"]
            buf += b"\x02" + prefixed(value if isinstance(value, bytes) else bytes(value))
    return hashlib.md5(buf).hexdigest()


def host_port(url):
    """host:port of a URL, with the scheme's default port made explicit."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"



class SqsEndpointTestCase(unittest.TestCase):
    """Gives the class an SQS endpoint: $SQS_ENDPOINT, else one real slipway daemon for the
    whole class (started in setUpClass, stopped in tearDownClass)."""

    daemon = None
    endpoint = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = external_endpoint()
        cls.daemon = None
        if cls.endpoint is None:
            cls.daemon = Daemon()
            cls.daemon.start()
            cls.endpoint = cls.daemon.endpoint

    @classmethod
    def tearDownClass(cls):
        if cls.daemon is not None:
            try:
                cls.daemon.stop()
            finally:
                cls.daemon.__exit__(None, None, None)
                cls.daemon = None
        super().tearDownClass()

    @property
    def under_reference(self):
        return self.daemon is None
