"""Runs the JavaScript Lambda tests (tests/integration/js/lambda_sdk.test.mjs, node:test) with the
real npm client @aws-sdk/client-lambda v3 against the real daemon, which serves `echo` (the C++
runtime fixture) and `node` (aws-lambda-ric). The endpoint reaches node as
SLIPWAY_LAMBDA_ENDPOINT; on failure node's whole report is shown."""
import os
import shutil
import subprocess
import unittest

from lambda_helpers import LambdaTestCase, client_env, cpp_function, node_function

JS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js")


class JavaScriptLambdaTest(LambdaTestCase):
    @classmethod
    def functions(cls, tmp_dir):
        return {"echo": cpp_function(), "node": node_function()}

    @classmethod
    def setUpClass(cls):
        cls.node = shutil.which("node")
        if cls.node is None:
            raise AssertionError("node is not installed: run scripts/setup")
        if not os.path.isdir(os.path.join(JS_DIR, "node_modules", "@aws-sdk", "client-lambda")):
            raise AssertionError(f"{JS_DIR}/node_modules/@aws-sdk/client-lambda is missing: run scripts/setup (npm ci)")
        super().setUpClass()

    def test_aws_sdk_v3_client_lambda(self):
        env = client_env({
            "SLIPWAY_LAMBDA_ENDPOINT": self.endpoint,
            "NODE_NO_WARNINGS": "1",  # the SDK's Node-20 end-of-support notice
        })
        p = subprocess.run([self.node, "--test", "--test-reporter=spec", "lambda_sdk.test.mjs"], cwd=JS_DIR,
                           env=env, capture_output=True, text=True, timeout=120)
        output = p.stdout + p.stderr
        self.assertEqual(p.returncode, 0, f"node --test lambda_sdk.test.mjs failed:\n{output}")
        self.assertRegex(output, r"ℹ pass [1-9]", output)
        self.assertIn("ℹ fail 0", output)


if __name__ == "__main__":
    unittest.main(verbosity=2)
