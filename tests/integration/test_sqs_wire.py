"""Wire details no SDK in the suite exercises but AWS accepts: Query over GET, JSON posted to a
queue URL path, and the exact error shapes (status, code, x-amzn-query-error header)."""
import json
import unittest
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from harness import Daemon

NS = "{http://queue.amazonaws.com/doc/2012-11-05/}"


def http(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class WireTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon().start()
        cls.base = cls.daemon.endpoint

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()

    def json_call(self, action, body, path="/"):
        return http("POST", self.base + path, json.dumps(body).encode(),
                    {"X-Amz-Target": f"AmazonSQS.{action}",
                     "Content-Type": "application/x-amz-json-1.0"})

    def test_query_over_get_on_a_queue_path(self):
        status, _, body = http("GET", self.base + "/?Action=CreateQueue&QueueName=wire-get")
        self.assertEqual(status, 200, body)
        url = ET.fromstring(body).find(f"{NS}CreateQueueResult/{NS}QueueUrl").text
        path = urllib.parse.urlparse(url).path
        q = urllib.parse.urlencode({"Action": "SendMessage", "MessageBody": "hi\r\nthere & \"you\""})
        status, headers, body = http("GET", self.base + path + "?" + q)
        self.assertEqual(status, 200, body)
        self.assertIn("xml", headers["Content-Type"])
        status, _, body = http("GET", self.base + path + "?Action=ReceiveMessage")
        msg = ET.fromstring(body).find(f"{NS}ReceiveMessageResult/{NS}Message")
        self.assertEqual(msg.find(f"{NS}Body").text, "hi\r\nthere & \"you\"")  # CR kept (&#xD;)
        self.assertIn(b"&#xD;", body)

    def test_json_posted_to_a_queue_url_path(self):
        status, _, body = self.json_call("CreateQueue", {"QueueName": "wire-json"})
        url = json.loads(body)["QueueUrl"]
        path = urllib.parse.urlparse(url).path
        status, _, body = self.json_call("SendMessage", {"MessageBody": "x"}, path=path)
        self.assertEqual(status, 200, body)
        status, _, body = self.json_call("GetQueueAttributes", {
            "QueueUrl": url, "AttributeNames": ["ApproximateNumberOfMessages"]})
        self.assertEqual(json.loads(body)["Attributes"]["ApproximateNumberOfMessages"], "1")

    def test_json_error_shape(self):
        status, headers, body = self.json_call("GetQueueUrl", {"QueueName": "no-such-queue"})
        self.assertEqual(status, 400)
        self.assertEqual(headers.get("x-amzn-query-error"),
                         "AWS.SimpleQueueService.NonExistentQueue;Sender")
        self.assertNotIn("x-amzn-errortype", {k.lower() for k in headers})
        err = json.loads(body)
        self.assertEqual(err["__type"], "com.amazonaws.sqs#QueueDoesNotExist")
        self.assertEqual(err["message"], "The specified queue does not exist.")
        self.assertTrue(headers.get("x-amzn-RequestId"))

    def test_query_error_shape(self):
        status, _, body = http("POST", self.base + "/", b"Action=GetQueueUrl&QueueName=nope",
                               {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 400)
        root = ET.fromstring(body)
        self.assertEqual(root.tag, f"{NS}ErrorResponse")
        self.assertEqual(root.find(f"{NS}Error/{NS}Code").text, "AWS.SimpleQueueService.NonExistentQueue")
        self.assertEqual(root.find(f"{NS}Error/{NS}Type").text, "Sender")
        self.assertEqual(root.find(f"{NS}Error/{NS}Message").text,
                         "The specified queue does not exist for this wsdl version.")
        self.assertTrue(root.find(f"{NS}RequestId").text)

    def test_unknown_action_and_queueless_action_on_a_queue_path(self):
        status, _, body = http("POST", self.base + "/", b"Action=FooBar")
        self.assertEqual(status, 400)
        self.assertEqual(ET.fromstring(body).find(f"{NS}Error/{NS}Code").text, "InvalidAction")
        self.assertIn(b"The action FooBar is not valid for this endpoint.", body)
        self.json_call("CreateQueue", {"QueueName": "wire-path"})
        status, _, body = http("POST", self.base + "/000000000000/wire-path",
                               b"Action=CreateQueue&QueueName=other",
                               {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 400)
        self.assertIn(b"The action CreateQueue is not valid for this endpoint.", body)

    def test_malformed_json_is_a_400_not_a_crash(self):
        status, headers, _ = http("POST", self.base + "/", b"{not json",
                                  {"X-Amz-Target": "AmazonSQS.ListQueues",
                                   "Content-Type": "application/x-amz-json-1.0"})
        self.assertEqual(status, 400)
        self.assertIn("x-amzn-query-error", headers)
        self.assertEqual(self.daemon.get_json("/_slipway/health")[0], 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
