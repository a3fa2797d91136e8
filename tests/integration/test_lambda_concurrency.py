"""Lambda concurrency control against the real daemon and the C++ runtime fixture:
- PutFunctionConcurrency / GetFunctionConcurrency / DeleteFunctionConcurrency and
  GetAccountSettings through boto3, AWS CLI v1 (`aws` on PATH) and AWS CLI v2 (/usr/bin/aws);
- the issue's must-show, read from the raw HTTP answers: with ReservedConcurrentExecutions 2,
  ten parallel synchronous invokes of a 1.5 s function give exactly 2 running and 8 throttled
  (429, Retry-After, {"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User",
  "message":"Rate Exceeded."}), from the manifest and after PutFunctionConcurrency at runtime;
- reserved 0 throttles every invoke; a lowered reservation reclaims idle environments beyond it.
Each test owns its functions, so the order the tests run in does not matter."""
import http.client
import json
import os
import subprocess
import threading
import unittest

from lambda_helpers import (CLI_V2_PATH, LambdaTestCase, client_env, cpp_function, find_cli_v1, function_arn,
                            lambda_client, wait_until)

SLOW = {"action": "sleep", "ms": 1500}
THROTTLE_BODY = (b'{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User",'
                 b'"message":"Rate Exceeded."}')
BELOW_MINIMUM = ("Specified ReservedConcurrentExecutions for function decreases account's "
                 "UnreservedConcurrentExecution below its minimum value of [100].")


class ConcurrencyTestCase(LambdaTestCase):
    """Raw HTTP helpers over the class's daemon."""

    def raw(self, method, path, body=None, timeout=30):
        """(status, {lower-cased header: value}, body bytes) of one request on its own connection."""
        conn = http.client.HTTPConnection("127.0.0.1", self.daemon.port, timeout=timeout)
        try:
            conn.request(method, path, body=None if body is None else json.dumps(body),
                         headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def parallel_invokes(self, function, n=10, payload=SLOW):
        """n synchronous invokes released together; their raw answers."""
        results = [None] * n
        barrier = threading.Barrier(n)

        def one(i):
            barrier.wait()
            results[i] = self.raw("POST", f"/2015-03-31/functions/{function}/invocations", payload)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertTrue(all(results), "an invoke did not answer")
        return results

    def assert_split(self, results, running):
        """Exactly `running` answers are the function's 200 and the rest AWS's reserved throttle."""
        ok = [r for r in results if r[0] == 200]
        throttled = [r for r in results if r[0] == 429]
        self.assertEqual((len(ok), len(throttled)), (running, len(results) - running),
                         [(s, b[:120]) for s, _, b in results])
        for _, _, body in ok:
            self.assertEqual(json.loads(body), {"slept_ms": SLOW["ms"]})
        for _, headers, body in throttled:
            self.assertEqual(body, THROTTLE_BODY)
            self.assertRegex(headers.get("retry-after", ""), r"^\d+$")
            self.assertEqual(headers.get("x-amzn-errortype"), "TooManyRequestsException")
            self.assertEqual(headers.get("content-type"), "application/json")

    def put_concurrency(self, function, n):
        status, _, body = self.raw("PUT", f"/2017-10-31/functions/{function}/concurrency",
                                   {"ReservedConcurrentExecutions": n})
        self.assertEqual((status, json.loads(body)), (200, {"ReservedConcurrentExecutions": n}))

    def function_stats(self, function):
        return self.daemon.get_json("/_slipway/lambda")[1]["functions"][function]


class RawConcurrencyTest(ConcurrencyTestCase):
    @classmethod
    def functions(cls, tmp_dir):
        return {"slow2": cpp_function(Timeout=10, ReservedConcurrentExecutions=2),
                "runtime": cpp_function(Timeout=10), "zero": cpp_function(), "raw": cpp_function()}

    def test_reserved_2_from_the_manifest_runs_2_and_throttles_8(self):
        self.assert_split(self.parallel_invokes("slow2"), 2)

    def test_reservation_changed_at_runtime_applies_to_the_next_invokes(self):
        self.assert_split(self.parallel_invokes("runtime"), 10)  # unreserved: all ten run
        self.assertTrue(wait_until(lambda: self.function_stats("runtime")["environments"]["idle"] == 10, 10))
        self.put_concurrency("runtime", 3)
        self.assert_split(self.parallel_invokes("runtime"), 3)
        self.put_concurrency("runtime", 2)
        # Idle environments beyond the reservation are reclaimed; the rest are reused warm.
        self.assertTrue(wait_until(lambda: sum(self.function_stats("runtime")["environments"].values()) == 2, 10),
                        self.function_stats("runtime"))
        self.assert_split(self.parallel_invokes("runtime"), 2)
        self.assertEqual(self.function_stats("runtime")["cold_starts"], 10)
        status, _, _ = self.raw("DELETE", "/2017-10-31/functions/runtime/concurrency")
        self.assertEqual(status, 204)
        self.assert_split(self.parallel_invokes("runtime", n=4), 4)

    def test_reserved_0_throttles_every_invoke(self):
        self.put_concurrency("zero", 0)
        for _ in range(3):
            status, headers, body = self.raw("POST", "/2015-03-31/functions/zero/invocations", {})
            self.assertEqual((status, body), (429, THROTTLE_BODY))
            self.assertIn("retry-after", headers)
        self.assertEqual(self.function_stats("zero")["cold_starts"], 0)
        self.assertEqual(self.raw("DELETE", "/2017-10-31/functions/zero/concurrency")[0], 204)
        status, _, body = self.raw("POST", "/2015-03-31/functions/zero/invocations", {"a": 1})
        self.assertEqual((status, json.loads(body)), (200, {"a": 1}))

    def test_wire_shapes(self):
        status, _, body = self.raw("GET", "/2019-09-30/functions/raw/concurrency")
        self.assertEqual((status, body), (200, b"{}"))
        for path in ("/2016-08-19/account-settings", "/2016-08-19/account-settings/"):
            status, _, body = self.raw("GET", path)
            settings = json.loads(body)
            self.assertEqual(status, 200)
            self.assertEqual(sorted(settings["AccountLimit"]), ["CodeSizeUnzipped", "CodeSizeZipped",
                                                                "ConcurrentExecutions", "TotalCodeSize",
                                                                "UnreservedConcurrentExecutions"])
            self.assertEqual(settings["AccountUsage"], {"TotalCodeSize": 0, "FunctionCount": 4})
        status, headers, body = self.raw("PUT", "/2017-10-31/functions/raw/concurrency",
                                         {"ReservedConcurrentExecutions": -1})
        self.assertEqual((status, headers["x-amzn-errortype"]), (400, "ValidationException"))
        self.assertEqual(json.loads(body), {"message": "1 validation error detected: Value '-1' at "
                                            "'reservedConcurrentExecutions' failed to satisfy constraint: "
                                            "Member must have value greater than or equal to 0"})
        status, headers, body = self.raw("PUT", "/2017-10-31/functions/raw/concurrency",
                                         {"ReservedConcurrentExecutions": 901})
        self.assertEqual((status, headers["x-amzn-errortype"]), (400, "InvalidParameterValueException"))
        self.assertEqual(json.loads(body), {"Type": "User", "message": BELOW_MINIMUM})


class Boto3ConcurrencyTest(ConcurrencyTestCase):
    @classmethod
    def functions(cls, tmp_dir):
        return {"api": cpp_function(), "held": cpp_function(ReservedConcurrentExecutions=7), "other": cpp_function()}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = lambda_client(cls.endpoint)

    def unreserved(self):
        return self.client.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"]

    def test_put_get_delete(self):
        before = self.unreserved()
        r = self.client.put_function_concurrency(FunctionName="api", ReservedConcurrentExecutions=5)
        self.assertEqual((r["ResponseMetadata"]["HTTPStatusCode"], r["ReservedConcurrentExecutions"]), (200, 5))
        self.assertEqual(self.client.get_function_concurrency(FunctionName=function_arn("api"))
                         ["ReservedConcurrentExecutions"], 5)
        self.assertEqual(self.client.get_function(FunctionName="api")["Concurrency"],
                         {"ReservedConcurrentExecutions": 5})
        self.assertEqual(self.unreserved(), before - 5)
        r = self.client.delete_function_concurrency(FunctionName="api")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertNotIn("ReservedConcurrentExecutions", self.client.get_function_concurrency(FunctionName="api"))
        self.assertNotIn("Concurrency", self.client.get_function(FunctionName="api"))
        self.assertEqual(self.unreserved(), before)

    def test_account_settings(self):
        s = self.client.get_account_settings()
        self.assertEqual(s["AccountLimit"]["ConcurrentExecutions"], 1000)
        self.assertEqual(s["AccountLimit"]["UnreservedConcurrentExecutions"], 1000 - self.reserved_total())
        self.assertEqual((s["AccountLimit"]["CodeSizeZipped"], s["AccountLimit"]["CodeSizeUnzipped"]),
                         (52428800, 262144000))
        self.assertEqual(s["AccountUsage"]["FunctionCount"], 3)
        self.assertEqual(self.client.get_function(FunctionName="held")["Concurrency"],
                         {"ReservedConcurrentExecutions": 7})

    def reserved_total(self):
        return sum(self.client.get_function_concurrency(FunctionName=f["FunctionName"])
                   .get("ReservedConcurrentExecutions", 0) for f in self.client.list_functions()["Functions"])

    def test_errors(self):
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            self.client.put_function_concurrency(FunctionName="other", ReservedConcurrentExecutions=1000)
        e = cm.exception.response
        self.assertEqual((e["Error"]["Code"], e["Error"]["Message"]), ("InvalidParameterValueException", BELOW_MINIMUM))
        self.assertNotIn("ReservedConcurrentExecutions", self.client.get_function_concurrency(FunctionName="other"))
        for call in (lambda: self.client.put_function_concurrency(FunctionName="nope", ReservedConcurrentExecutions=1),
                     lambda: self.client.get_function_concurrency(FunctionName="nope"),
                     lambda: self.client.delete_function_concurrency(FunctionName="nope")):
            with self.assertRaises(self.client.exceptions.ResourceNotFoundException) as nf:
                call()
            self.assertEqual(nf.exception.response["Error"]["Message"], f"Function not found: {function_arn('nope')}")

    def test_throttle_as_boto3_reports_it(self):
        self.client.put_function_concurrency(FunctionName="other", ReservedConcurrentExecutions=0)
        try:
            with self.assertRaises(self.client.exceptions.TooManyRequestsException) as cm:
                self.client.invoke(FunctionName="other", Payload=b"{}")
            e = cm.exception.response
            self.assertEqual((e["Reason"], e["Type"], e["message"]),
                             ("ReservedFunctionConcurrentInvocationLimitExceeded", "User", "Rate Exceeded."))
            self.assertEqual(e["ResponseMetadata"]["HTTPStatusCode"], 429)
            self.assertIn("retry-after", e["ResponseMetadata"]["HTTPHeaders"])
        finally:
            self.client.delete_function_concurrency(FunctionName="other")


class AwsCliConcurrencyCases:
    """Shared checks; the concrete class sets `cli` (path) and `error_exit`."""

    cli = None
    error_exit = None

    @classmethod
    def functions(cls, tmp_dir):
        return {"cli": cpp_function(), "fixed": cpp_function(ReservedConcurrentExecutions=4)}

    def aws(self, *args, ok=True):
        """Runs `aws lambda ARGS`; returns (exit code, parsed stdout or None, stderr)."""
        cmd = [self.cli, "lambda", *args, "--endpoint-url", self.endpoint, "--output", "json"]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=client_env())
        if ok:
            self.assertEqual(p.returncode, 0, f"{' '.join(cmd)}\nstdout: {p.stdout}\nstderr: {p.stderr}")
        return p.returncode, json.loads(p.stdout) if p.stdout.strip() else None, p.stderr

    def test_put_get_delete_and_account_settings(self):
        _, out, _ = self.aws("put-function-concurrency", "--function-name", "cli", "--reserved-concurrent-executions", "3")
        self.assertEqual(out, {"ReservedConcurrentExecutions": 3})
        _, out, _ = self.aws("get-function-concurrency", "--function-name", function_arn("cli"))
        self.assertEqual(out, {"ReservedConcurrentExecutions": 3})
        _, out, _ = self.aws("get-account-settings")
        self.assertEqual(out["AccountLimit"]["ConcurrentExecutions"], 1000)
        self.assertEqual(out["AccountLimit"]["UnreservedConcurrentExecutions"], 1000 - 3 - 4)
        self.assertEqual(out["AccountUsage"], {"TotalCodeSize": 0, "FunctionCount": 2})
        _, out, _ = self.aws("delete-function-concurrency", "--function-name", "cli")
        self.assertIsNone(out)
        _, out, _ = self.aws("get-function-concurrency", "--function-name", "cli")
        self.assertIsNone(out)  # the answer is {}: both CLIs print nothing
        _, out, _ = self.aws("get-account-settings")
        self.assertEqual(out["AccountLimit"]["UnreservedConcurrentExecutions"], 1000 - 4)

    def test_errors(self):
        code, _, err = self.aws("put-function-concurrency", "--function-name", "cli",
                                "--reserved-concurrent-executions", "997", ok=False)
        self.assertEqual(code, self.error_exit, err)
        self.assertIn("(InvalidParameterValueException)", err)
        self.assertIn(BELOW_MINIMUM, err)
        code, _, err = self.aws("get-function-concurrency", "--function-name", "nope", ok=False)
        self.assertEqual(code, self.error_exit, err)
        self.assertIn("(ResourceNotFoundException)", err)
        _, out, _ = self.aws("get-function-concurrency", "--function-name", "fixed")
        self.assertEqual(out, {"ReservedConcurrentExecutions": 4})


class AwsCliV1ConcurrencyTest(AwsCliConcurrencyCases, LambdaTestCase):
    error_exit = 255

    @classmethod
    def setUpClass(cls):
        cls.cli = find_cli_v1()
        if cls.cli is None:
            raise AssertionError("AWS CLI v1 (`aws` of the default python3) not found: run scripts/setup")
        super().setUpClass()


class AwsCliV2ConcurrencyTest(AwsCliConcurrencyCases, LambdaTestCase):
    cli = CLI_V2_PATH
    error_exit = 254

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(CLI_V2_PATH):
            raise AssertionError(f"{CLI_V2_PATH} missing: install Debian's awscli (scripts/setup)")
        super().setUpClass()


if __name__ == "__main__":
    unittest.main(verbosity=2)
