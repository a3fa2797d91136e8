"""Lambda through both AWS CLIs, run as a user would, against the real daemon and the C++ runtime
fixture; their printed JSON and the written outfile are checked:
- AWS CLI v1 (`aws` on PATH, the default python3's): `--payload` is sent as given;
- AWS CLI v2 (Debian's /usr/bin/aws): needs `--cli-binary-format raw-in-base64-out` for that.
Dummy credentials come from the environment; --endpoint-url is always passed."""
import json
import os
import re
import subprocess
import tempfile
import unittest

from lambda_helpers import (CLI_V2_PATH, LambdaTestCase, client_env, cpp_function, decode_log_result,
                            find_cli_v1, function_arn, report_re)


class AwsCliLambdaCases:
    """Shared checks; the concrete class sets `cli` (path), `error_exit` and `binary_args`."""

    cli = None
    error_exit = None
    binary_args = ()

    @classmethod
    def functions(cls, tmp_dir):
        return {"echo": cpp_function(), "envfn": cpp_function(Timeout=7, MemorySize=256,
                                                              Environment={"Variables": {"COLOR": "blue"}})}

    def aws(self, *args, ok=True):
        """Runs `aws lambda ARGS`; returns (exit code, parsed stdout or None, stderr)."""
        cmd = [self.cli, "lambda", *args, "--endpoint-url", self.endpoint, "--output", "json"]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=client_env())
        if ok:
            self.assertEqual(p.returncode, 0, f"{' '.join(cmd)}\nstdout: {p.stdout}\nstderr: {p.stderr}")
        return p.returncode, json.loads(p.stdout) if p.stdout.strip() else None, p.stderr

    def invoke(self, payload, *extra, function="echo"):
        """`aws lambda invoke`; returns (printed JSON, outfile bytes)."""
        with tempfile.TemporaryDirectory(prefix="slipway-cli-") as d:
            out_file = os.path.join(d, "out.json")
            _, printed, _ = self.aws("invoke", "--function-name", function, "--payload", payload,
                                     *self.binary_args, *extra, out_file)
            with open(out_file, "rb") as f:
                return printed, f.read()

    def test_invoke_echo(self):
        printed, out = self.invoke('{"a":1}')
        self.assertEqual(printed, {"StatusCode": 200, "ExecutedVersion": "$LATEST"})
        self.assertEqual(out, b'{"a":1}')

    def test_invoke_function_error(self):
        printed, out = self.invoke('{"action":"error","message":"cli boom","errorType":"CliError"}')
        self.assertEqual(printed, {"StatusCode": 200, "FunctionError": "Unhandled", "ExecutedVersion": "$LATEST"})
        self.assertEqual(json.loads(out), {"errorMessage": "cli boom", "errorType": "CliError", "stackTrace": []})

    def test_invoke_log_tail(self):
        printed, out = self.invoke('{"action":"print","lines":["from the cli"]}', "--log-type", "Tail")
        self.assertEqual(json.loads(out), {"printed": True})
        self.assertEqual((printed["StatusCode"], printed["ExecutedVersion"]), (200, "$LATEST"))
        text = decode_log_result(printed["LogResult"])
        m = re.match(r"^START RequestId: (\S+) Version: \$LATEST\n", text)
        self.assertIsNotNone(m, text)
        request_id = m.group(1)
        lines = text.split("\n")
        self.assertIn("from the cli", lines)
        self.assertEqual(lines[-3], f"END RequestId: {request_id}")
        self.assertRegex(lines[-2], report_re(request_id))

    def test_invoke_unknown_function(self):
        with tempfile.TemporaryDirectory(prefix="slipway-cli-") as d:
            code, _, err = self.aws("invoke", "--function-name", "nope", "--payload", "{}", *self.binary_args,
                                    os.path.join(d, "out.json"), ok=False)
        self.assertEqual(code, self.error_exit, err)
        self.assertIn("(ResourceNotFoundException)", err)
        self.assertIn(f"Function not found: {function_arn('nope')}", err)

    def test_list_functions(self):
        _, out, _ = self.aws("list-functions")
        self.assertEqual([f["FunctionName"] for f in out["Functions"]], ["echo", "envfn"])
        envfn = out["Functions"][1]
        self.assertEqual((envfn["FunctionArn"], envfn["Timeout"], envfn["MemorySize"], envfn["Handler"]),
                         (function_arn("envfn"), 7, 256, "x"))
        self.assertEqual(envfn["Environment"], {"Variables": {"COLOR": "blue"}})

    def test_get_function(self):
        _, out, _ = self.aws("get-function", "--function-name", function_arn("envfn"))
        c = out["Configuration"]
        self.assertEqual((c["FunctionName"], c["FunctionArn"], c["Runtime"], c["Timeout"], c["MemorySize"]),
                         ("envfn", function_arn("envfn"), "provided.al2023", 7, 256))


class AwsCliV1LambdaTest(AwsCliLambdaCases, LambdaTestCase):
    error_exit = 255

    @classmethod
    def setUpClass(cls):
        cls.cli = find_cli_v1()
        if cls.cli is None:
            raise AssertionError("AWS CLI v1 (`aws` of the default python3) not found: run scripts/setup")
        super().setUpClass()


class AwsCliV2LambdaTest(AwsCliLambdaCases, LambdaTestCase):
    cli = CLI_V2_PATH
    error_exit = 254
    binary_args = ("--cli-binary-format", "raw-in-base64-out")

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(CLI_V2_PATH):
            raise AssertionError(f"{CLI_V2_PATH} missing: install Debian's awscli (scripts/setup)")
        super().setUpClass()


if __name__ == "__main__":
    unittest.main(verbosity=2)
