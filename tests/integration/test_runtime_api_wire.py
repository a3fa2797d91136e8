"""The Runtime API on the wire, driven by raw_runtime.py (a runtime written against a raw socket):
chunked bodies and trailers, Expect: 100-continue, streamed responses that fail midway, and the
API's refusals (unknown request id, second response, bad response mode), each checked from the
caller's side through the Invoke API with boto3."""
import base64
import json
import os
import re
import sys
import tempfile
import time
import unittest

import boto3
from botocore.config import Config

from harness import Daemon

RUNTIME = os.path.join(os.path.dirname(os.path.abspath(__file__)), "raw_runtime.py")


class RuntimeApiWireTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="slipway-rapi-")
        manifest = os.path.join(cls.tmp.name, "slipway.json")
        with open(manifest, "w") as f:
            json.dump({"Functions": {"raw": {"Command": [sys.executable, RUNTIME], "Handler": "raw", "Timeout": 10}}}, f)
        cls.daemon = Daemon(config=manifest).start()
        cls.client = boto3.client("lambda", endpoint_url=cls.daemon.endpoint, region_name="us-east-1",
                                  aws_access_key_id="test", aws_secret_access_key="test",
                                  config=Config(retries={"max_attempts": 1}))

    @classmethod
    def tearDownClass(cls):
        cls.daemon.kill()
        cls.tmp.cleanup()

    def invoke(self, case, **kwargs):
        r = self.client.invoke(FunctionName="raw", Payload=json.dumps({"case": case}), **kwargs)
        return r, json.loads(r["Payload"].read())

    def test_next_carries_the_invocation_headers(self):
        context = base64.b64encode(json.dumps({"custom": {"k": "v"}}).encode()).decode()
        r, seen = self.invoke("headers", ClientContext=context)
        self.assertNotIn("FunctionError", r)
        self.assertEqual(seen["lambda-runtime-aws-request-id"], r["ResponseMetadata"]["RequestId"])
        self.assertEqual(seen["lambda-runtime-invoked-function-arn"], "arn:aws:lambda:us-east-1:000000000000:function:raw")
        deadline_ms = int(seen["lambda-runtime-deadline-ms"])
        self.assertAlmostEqual(deadline_ms / 1000, time.time() + 10, delta=3)
        self.assertRegex(seen["lambda-runtime-trace-id"], r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24};")
        self.assertEqual(json.loads(seen["lambda-runtime-client-context"]), {"custom": {"k": "v"}})

    def test_chunked_response(self):
        r, body = self.invoke("chunked")
        self.assertNotIn("FunctionError", r)
        self.assertEqual(body, {"chunked": True})

    def test_expect_100_continue_is_answered(self):
        r, body = self.invoke("expect")
        self.assertNotIn("FunctionError", r)
        self.assertEqual(body, {"sent_after": "100 Continue"})

    def test_streamed_response_that_fails_midway(self):
        r, body = self.invoke("stream_error")
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual(body, {"errorType": "Streamed.Failure", "errorMessage": "failed midway"})

    def test_unknown_request_id_is_400(self):
        _, seen = self.invoke("bad_id")
        self.assertEqual(seen, {"status": 400, "body": {"errorMessage": seen["body"]["errorMessage"],
                                                        "errorType": "InvalidRequestID"}})

    def test_bad_response_mode_is_400(self):
        _, seen = self.invoke("bad_mode")
        self.assertEqual(seen["status"], 400)
        self.assertEqual(seen["body"]["errorType"], "InvalidFunctionResponseMode")

    def test_second_response_is_403_and_the_first_wins(self):
        r, body = self.invoke("twice", LogType="Tail")
        self.assertEqual(body, {"first": True})
        # The refusal is printed by the runtime after the first response went out: read it from the log.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            m = re.search(r"raw_runtime: first response (\d+), second response (\d+) (.*)", self.daemon.stderr_text())
            if m:
                break
            time.sleep(0.05)
        self.assertIsNotNone(m, "the runtime never reported its second response")
        self.assertEqual((m.group(1), m.group(2)), ("202", "403"))
        self.assertEqual(json.loads(m.group(3))["errorType"], "InvalidStateTransition")

    def test_error_type_from_the_header_alone(self):
        r, body = self.invoke("error_header_only")
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual(body["errorType"], "Custom.HeaderOnly")


if __name__ == "__main__":
    unittest.main(verbosity=2)
