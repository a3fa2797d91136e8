"""SQS through a boto3 that speaks the legacy Query protocol (form-encoded requests, XML answers):
Debian's python3-boto3 (botocore < 1.34.90), run by /usr/bin/python3. The checks are the very
same as test_sqs_boto3_json.py's (Boto3SqsCases) plus Query-only ones.

Whatever interpreter starts this file (CTest uses the default python3, whose boto3 speaks JSON),
it re-executes itself with /usr/bin/python3 so that Debian's boto3 is the one imported."""
import os
import sys

QUERY_PYTHON = "/usr/bin/python3"
FIRST_JSON_BOTOCORE = (1, 34, 90)  # botocore moved SQS to JSON for good in 1.34.90 (spec §1.3)


def _version(text):
    return tuple(int(p) for p in text.split(".")[:3] if p.isdigit())


def _ensure_query_boto3():
    here = os.path.realpath(sys.executable) if sys.executable else ""
    if here != os.path.realpath(QUERY_PYTHON):
        if os.environ.get("SLIPWAY_QUERY_REEXEC"):
            sys.exit(f"{__file__}: re-executed but still not running under {QUERY_PYTHON}")
        if not os.path.exists(QUERY_PYTHON):
            sys.exit(f"{__file__}: needs {QUERY_PYTHON} with Debian's python3-boto3 (scripts/setup)")
        env = dict(os.environ, SLIPWAY_QUERY_REEXEC="1")
        for key in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"):
            env.pop(key, None)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(QUERY_PYTHON, [QUERY_PYTHON, os.path.abspath(__file__), *sys.argv[1:]], env)
    try:
        import botocore
    except ImportError:
        sys.exit(f"{__file__}: {QUERY_PYTHON} has no boto3: install Debian's python3-boto3 (scripts/setup)")
    if _version(botocore.__version__) >= FIRST_JSON_BOTOCORE:
        sys.exit(f"{__file__}: {QUERY_PYTHON}'s botocore {botocore.__version__} speaks JSON to SQS, "
                 "not Query; this test needs Debian's python3-boto3 (botocore < 1.34.90)")


if __name__ == "__main__":
    _ensure_query_boto3()

import unittest  # noqa: E402

from sqs_helpers import SqsEndpointTestCase, md5_hex  # noqa: E402
from test_sqs_boto3_json import BODY, Boto3SqsCases  # noqa: E402


class Boto3QueryTest(Boto3SqsCases, SqsEndpointTestCase):
    protocol = "query"

    def test_client_speaks_query(self):
        self.assertEqual(self.sqs.meta.service_model.protocol, "query")

    def test_carriage_returns_and_markup_survive_the_xml_answer(self):
        # The XML answer must escape CR as &#xD; or the parser turns \r\n into \n (spec §1.1).
        url = self.make_queue("crlf")
        body = "line one\r\nline two\rline three\n<tag attr=\"v\">&amp; 'q'</tag>"
        self.sqs.send_message(QueueUrl=url, MessageBody=body)
        m = self.receive(url, VisibilityTimeout=0)[0]
        self.assertEqual(m["Body"], body)
        self.assertEqual(m["MD5OfBody"], md5_hex(body))
        self.assertEqual([x["Body"] for x in self.drain(url)], [body])

    def test_shared_body_round_trips(self):
        url = self.make_queue("body")
        self.sqs.send_message(QueueUrl=url, MessageBody=BODY)
        self.assertEqual([m["Body"] for m in self.drain(url)], [BODY])


if __name__ == "__main__":
    unittest.main(verbosity=2)
