"""Runs the JavaScript SQS tests (tests/integration/js/*.test.mjs, node:test) with real npm
clients, @aws-sdk/client-sqs v3 and sqs-consumer, against the real daemon (or $SQS_ENDPOINT).
The endpoint reaches node as SLIPWAY_SQS_ENDPOINT; on failure node's whole report is shown."""
import os
import shutil
import subprocess
import unittest

from sqs_helpers import SqsEndpointTestCase, client_env

JS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js")


class JavaScriptClientsTest(SqsEndpointTestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = shutil.which("node")
        if cls.node is None:
            raise AssertionError("node is not installed: run scripts/setup")
        if not os.path.isdir(os.path.join(JS_DIR, "node_modules", "@aws-sdk", "client-sqs")) or \
                not os.path.isdir(os.path.join(JS_DIR, "node_modules", "sqs-consumer")):
            raise AssertionError(f"{JS_DIR}/node_modules is missing: run scripts/setup (npm ci)")
        super().setUpClass()

    def run_node_tests(self, filename):
        env = client_env({
            "SLIPWAY_SQS_ENDPOINT": self.endpoint,
            "SLIPWAY_SQS_REFERENCE": "1" if self.under_reference else "0",
            "NODE_NO_WARNINGS": "1",  # the SDK's Node-20 end-of-support notice
        })
        p = subprocess.run([self.node, "--test", "--test-reporter=spec", filename], cwd=JS_DIR, env=env,
                           capture_output=True, text=True, timeout=120)
        output = p.stdout + p.stderr
        self.assertEqual(p.returncode, 0, f"node --test {filename} failed:\n{output}")
        self.assertRegex(output, r"ℹ pass [1-9]", output)
        self.assertIn("ℹ fail 0", output)
        return output

    def test_aws_sdk_v3(self):
        self.run_node_tests("sqs_sdk.test.mjs")

    def test_sqs_consumer(self):
        self.run_node_tests("sqs_consumer.test.mjs")


if __name__ == "__main__":
    unittest.main(verbosity=2)
