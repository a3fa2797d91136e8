"""SQS through both AWS CLIs, run as a user would, with their JSON output parsed:
- AWS CLI v1 (`aws` on PATH, the default python3's; botocore >= 1.34.90 → AWS JSON 1.0);
- AWS CLI v2 from Debian (/usr/bin/aws 2.9.x → Query protocol).
`aws sqs` ignores AWS_ENDPOINT_URL in some versions, so --endpoint-url is always passed."""
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor

from sqs_helpers import (SqsEndpointTestCase, boto3_client, client_env, host_port, md5_hex,
                         md5_of_message_attributes, unique_name)

V2_PATH = "/usr/bin/aws"


def find_cli_v1():
    """AWS CLI v1: the `aws` beside this python (pyenv's real script, not its slower shim), else
    the first `aws` on PATH that is v1."""
    candidates = [os.path.join(os.path.dirname(sys.executable), "aws")]
    for d in os.environ.get("PATH", "").split(os.pathsep):
        candidates.append(os.path.join(d, "aws"))
    for path in candidates:
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            continue
        if os.path.realpath(path) == os.path.realpath(V2_PATH):
            continue
        if cli_version(path).startswith("aws-cli/1."):
            return path
    return None


_versions = {}


def cli_version(path):
    if path in _versions:
        return _versions[path]
    _versions[path] = _cli_version(path)
    return _versions[path]


def _cli_version(path):
    try:
        p = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30,
                           env=client_env())
    except OSError:
        return ""
    return (p.stdout + p.stderr).strip()


BINARY = b"raw binary 0123"
MESSAGE_ATTRIBUTES = {
    "Greeting": {"DataType": "String", "StringValue": "h\u00e9llo"},
    "Count": {"DataType": "Number", "StringValue": "42"},
    "Blob": {"DataType": "Binary", "BinaryValue": BINARY},
}


class AwsCliCases:
    """Shared checks; the concrete class sets `cli` (path), `major` (1 or 2), `error_exit`."""

    cli = None
    major = None
    error_exit = None
    extra_args = ()

    def aws(self, *args, ok=True):
        """Runs `aws sqs ARGS` against the endpoint; returns (exit code, parsed stdout, stderr)."""
        cmd = [self.cli, "sqs", *args, "--endpoint-url", self.endpoint, "--region", "us-east-1",
               "--output", "json", *self.extra_args]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=client_env())
        if ok:
            self.assertEqual(p.returncode, 0, f"{' '.join(cmd)}\nstdout: {p.stdout}\nstderr: {p.stderr}")
        out = json.loads(p.stdout) if p.stdout.strip() else None
        return p.returncode, out, p.stderr

    def parallel(self, *calls, ok=True):
        """Runs independent `aws sqs` calls side by side (each a tuple of arguments) to keep the
        file fast; returns their (exit code, parsed stdout, stderr) in order."""
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(lambda args: self.aws(*args, ok=ok), calls))

    def aws_error(self, code, *args):
        """Runs a call that must fail with the AWS error `code`, as the CLI prints it."""
        rc, _, err = self.aws(*args, ok=False)
        self.assertEqual(rc, self.error_exit, err)
        self.assertIn(f"An error occurred ({code})", err)
        return err

    def make_queue(self, hint, *extra, fifo=False, via_cli=True):
        name = unique_name(hint, fifo=fifo)
        if via_cli:
            url = self.aws("create-queue", "--queue-name", name, *extra)[1]["QueueUrl"]
        else:
            url = self.boto().create_queue(QueueName=name)["QueueUrl"]
        self.addCleanup(self.delete_quietly, url)
        return name, url

    def boto(self):
        # Set-up and clean-up that the test does not judge go through botocore in-process: each
        # CLI process costs about a second of CPU.
        if type(self).__dict__.get("_boto_for") != self.endpoint:
            type(self)._boto = boto3_client(self.endpoint)
            type(self)._boto_for = self.endpoint
        return type(self)._boto

    def delete_quietly(self, url):
        try:
            self.boto().delete_queue(QueueUrl=url)
        except Exception:  # already deleted by the test
            pass

    def binary_arg(self, data):
        # v2 reads blobs in JSON arguments as base64 by default; v1 takes the raw text.
        return base64.b64encode(data).decode() if self.major == 2 else data.decode("latin-1")

    # -- tests ---------------------------------------------------------------------------------

    def test_queue_lifecycle(self):
        prefix = unique_name("cli")
        name = prefix + "-main"
        _, out, _ = self.aws("create-queue", "--queue-name", name,
                             "--attributes", "VisibilityTimeout=40,DelaySeconds=0",
                             "--tags", "team=core,env=test")
        url = out["QueueUrl"]
        self.addCleanup(self.delete_quietly, url)
        self.assertEqual(host_port(url), host_port(self.endpoint))
        self.assertTrue(url.endswith("/" + name), url)
        got_url, listed, _, tags = self.parallel(
            ("get-queue-url", "--queue-name", name),
            ("list-queues", "--queue-name-prefix", prefix),
            ("set-queue-attributes", "--queue-url", url, "--attributes", "DelaySeconds=3"),
            ("list-queue-tags", "--queue-url", url))
        self.assertEqual(got_url[1]["QueueUrl"], url)
        self.assertEqual(listed[1]["QueueUrls"], [url])
        self.assertEqual(tags[1]["Tags"], {"team": "core", "env": "test"})
        attrs = self.aws("get-queue-attributes", "--queue-url", url, "--attribute-names", "All")[1][
            "Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "40")
        self.assertEqual(attrs["DelaySeconds"], "3")
        self.assertRegex(attrs["QueueArn"], r"^arn:aws:sqs:us-east-1:\d{12}:" + re.escape(name) + "$")

        self.aws("delete-queue", "--queue-url", url)
        self._cleanups.clear()
        err = self.aws_error("AWS.SimpleQueueService.NonExistentQueue", "get-queue-url", "--queue-name", name)
        self.assertIn("when calling the GetQueueUrl operation", err)

    def test_send_receive_delete(self):
        _, url = self.make_queue("climsg")
        body = "h\u00e9llo from the CLI \U0001F680 <&>"
        attrs_arg = {k: dict(v) for k, v in MESSAGE_ATTRIBUTES.items()}
        attrs_arg["Blob"]["BinaryValue"] = self.binary_arg(BINARY)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump([{"Id": f"e{i}", "MessageBody": f"batch {i}"} for i in range(3)], f)
        self.addCleanup(os.unlink, f.name)
        (_, sent, _), (_, batch, _) = self.parallel(
            ("send-message", "--queue-url", url, "--message-body", body,
             "--message-attributes", json.dumps(attrs_arg)),
            ("send-message-batch", "--queue-url", url, "--entries", "file://" + f.name))
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex(body))
        self.assertEqual(sent["MD5OfMessageAttributes"], md5_of_message_attributes(MESSAGE_ATTRIBUTES))
        self.assertEqual(sorted(e["Id"] for e in batch["Successful"]), ["e0", "e1", "e2"])
        self.assertEqual({e["Id"]: e["MD5OfMessageBody"] for e in batch["Successful"]},
                         {f"e{i}": md5_hex(f"batch {i}") for i in range(3)})
        self.assertNotIn("Failed", {k: v for k, v in batch.items() if v})

        received = []
        for _ in range(5):
            _, out, _ = self.aws("receive-message", "--queue-url", url, "--max-number-of-messages", "10",
                                 "--attribute-names", "All", "--message-attribute-names", "All",
                                 "--visibility-timeout", "30")
            received += (out or {}).get("Messages", [])
            if len(received) >= 4:
                break
        self.assertEqual(len(received), 4, received)
        first = next(m for m in received if m["MessageId"] == sent["MessageId"])
        self.assertEqual(first["Body"], body)
        self.assertEqual(first["MD5OfBody"], md5_hex(body))
        self.assertEqual(first["MD5OfMessageAttributes"], md5_of_message_attributes(MESSAGE_ATTRIBUTES))
        self.assertEqual(first["MessageAttributes"]["Blob"],
                         {"DataType": "Binary", "BinaryValue": base64.b64encode(BINARY).decode()})
        self.assertEqual(first["MessageAttributes"]["Count"], {"DataType": "Number", "StringValue": "42"})
        self.assertEqual(first["Attributes"]["ApproximateReceiveCount"], "1")

        others = [m for m in received if m is not first]
        entries = [{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(others)]
        entries.append({"Id": "bad", "ReceiptHandle": "garbage"})
        _, (_, deleted, _) = self.parallel(
            ("delete-message", "--queue-url", url, "--receipt-handle", first["ReceiptHandle"]),
            ("delete-message-batch", "--queue-url", url, "--entries", json.dumps(entries)))
        self.assertEqual(sorted(e["Id"] for e in deleted["Successful"]), ["d0", "d1", "d2"])
        self.assertEqual([(e["Id"], e["Code"]) for e in deleted["Failed"]], [("bad", "ReceiptHandleIsInvalid")])
        attrs = self.aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                         "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")[1]["Attributes"]
        self.assertEqual(attrs, {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"})

    def test_error_codes(self):
        _, url = self.make_queue("clierr", via_cli=False)
        missing = url.rsplit("/", 1)[0] + "/" + unique_name("missing")
        text = {1: "The specified queue does not exist.",
                2: "The specified queue does not exist for this wsdl version."}[self.major]
        cases = [
            ("AWS.SimpleQueueService.NonExistentQueue", text, "receive-message", "--queue-url", missing),
            ("ReceiptHandleIsInvalid", "", "delete-message", "--queue-url", url, "--receipt-handle", "garbage"),
            ("InvalidAttributeName", "Unknown Attribute Foobar.", "get-queue-attributes", "--queue-url", url,
             "--attribute-names", "Foobar"),
            ("InvalidParameterValue", "", "receive-message", "--queue-url", url, "--max-number-of-messages", "11"),
            ("QueueAlreadyExists", "", "create-queue", "--queue-name", url.rsplit("/", 1)[1],
             "--attributes", "VisibilityTimeout=5"),
        ]
        results = self.parallel(*(c[2:] for c in cases), ok=False)
        for (code, text, *args), (rc, _, err) in zip(cases, results):
            with self.subTest(args[0], code=code):
                self.assertEqual(rc, self.error_exit, err)
                self.assertIn(f"An error occurred ({code})", err)
                self.assertIn(text, err)


class AwsCliV1JsonTest(AwsCliCases, SqsEndpointTestCase):
    major = 1
    error_exit = 255

    @classmethod
    def setUpClass(cls):
        cls.cli = find_cli_v1()
        if cls.cli is None:
            raise AssertionError("AWS CLI v1 (`aws` of the default python3, JSON protocol) not found")
        super().setUpClass()

    def test_cli_is_v1_speaking_json(self):
        version = cli_version(self.cli)
        m = re.search(r"botocore/(\d+)\.(\d+)\.(\d+)", version)
        self.assertTrue(version.startswith("aws-cli/1."), version)
        self.assertGreaterEqual(tuple(map(int, m.groups())), (1, 34, 90), "botocore >= 1.34.90 speaks JSON")


class AwsCliV2QueryTest(AwsCliCases, SqsEndpointTestCase):
    cli = V2_PATH
    major = 2
    error_exit = 254

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(V2_PATH):
            raise AssertionError(f"{V2_PATH} missing: install Debian's awscli (scripts/setup)")
        super().setUpClass()

    def test_cli_is_v2_speaking_query(self):
        version = cli_version(self.cli)
        m = re.match(r"aws-cli/2\.(\d+)\.(\d+)", version)
        self.assertTrue(m, version)
        self.assertLess(tuple(map(int, m.groups())), (15, 41), "v2 < 2.15.41 speaks Query (spec §1.3)")


if __name__ == "__main__":
    unittest.main(verbosity=2)
