"""SQS through boto3 speaking AWS JSON 1.0 (the default python3's boto3 >= 1.34.90), against the
real daemon (or $SQS_ENDPOINT, see sqs_helpers). The cases live in Boto3SqsCases so that
test_sqs_boto3_query.py runs the very same checks through a Query-protocol boto3; expectations
that differ by protocol read self.protocol.

Expected values come from the spec notes (/work/shared/spec/sqs.md) and AWS's documentation."""
import json
import threading
import time
import unittest

from sqs_helpers import (SqsEndpointTestCase, boto3_client, host_port, md5_hex,
                         md5_of_message_attributes, reference_gap, unique_name, wait_until)

ATTRIBUTES = {
    "Greeting": {"DataType": "String", "StringValue": "h\u00e9llo w\u00f6rld \U0001F680"},
    "Count": {"DataType": "Number", "StringValue": "42"},
    "Price": {"DataType": "Number.float", "StringValue": "3.14159"},
    "Blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xffbinary"},
}
# Quotes, markup characters, non-ASCII, a tab and a CR LF: the body must come back byte-identical.
BODY = 'Hello, "slipway" <a href=\'x\'>&amp;</a> h\u00e9llo \U0001F680\r\nsecond line\tend'


class Boto3SqsCases:
    """Test methods shared by the JSON and Query boto3 files. The concrete class sets
    `protocol` ("json" or "query") and mixes in SqsEndpointTestCase."""

    protocol = None

    def setUp(self):
        cls = type(self)
        if cls.__dict__.get("_clients_for") != cls.endpoint:  # building a client is slow: once per class
            cls._sqs = boto3_client(cls.endpoint)
            cls._raw = boto3_client(cls.endpoint, validate=False)  # reaches the server's own checks
            cls._clients_for = cls.endpoint
        self.sqs = cls._sqs
        self.raw = cls._raw

    # -- helpers -------------------------------------------------------------------------------

    def make_queue(self, hint="q", attributes=None, tags=None, fifo=False):
        name = unique_name(hint, fifo=fifo)
        attrs = dict(attributes or {})
        if fifo:
            attrs.setdefault("FifoQueue", "true")
        kwargs = {"QueueName": name}
        if attrs:
            kwargs["Attributes"] = attrs
        if tags:
            kwargs["tags"] = tags
        url = self.sqs.create_queue(**kwargs)["QueueUrl"]
        self.addCleanup(self._delete_quietly, url)
        return url

    def _delete_quietly(self, url):
        try:
            self.sqs.delete_queue(QueueUrl=url)
        except Exception:  # already deleted by the test
            pass

    def arn(self, url):
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]

    def counts(self, url):
        attrs = self.sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                          "ApproximateNumberOfMessagesNotVisible",
                                          "ApproximateNumberOfMessagesDelayed"])["Attributes"]
        return (attrs["ApproximateNumberOfMessages"], attrs["ApproximateNumberOfMessagesNotVisible"],
                attrs["ApproximateNumberOfMessagesDelayed"])

    def receive(self, url, **kwargs):
        return self.sqs.receive_message(QueueUrl=url, **kwargs).get("Messages", [])

    def drain(self, url, max_rounds=20, **kwargs):
        """Receives and deletes until a receive comes back empty; returns the messages in order."""
        out = []
        for _ in range(max_rounds):
            batch = self.receive(url, MaxNumberOfMessages=10, **kwargs)
            if not batch:
                return out
            for m in batch:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            out.extend(batch)
        self.fail(f"queue {url} did not drain in {max_rounds} receives")

    def assertClientError(self, code, call, exception=None, status=None, **kwargs):
        """Runs call(**kwargs), expecting a botocore ClientError with Error.Code == code, the
        modeled exception class `exception` (a name on client.exceptions) and HTTP `status`."""
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            call(**kwargs)
        response = cm.exception.response
        self.assertEqual(response["Error"]["Code"], code, response)
        if exception:
            client = getattr(call, "__self__", self.sqs)
            self.assertIsInstance(cm.exception, getattr(client.exceptions, exception),
                                  f"{type(cm.exception).__name__}: {response}")
        if status:
            self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], status, response)
        return response

    def missing_queue_url(self):
        real = self.make_queue("ref")
        return real.rsplit("/", 1)[0] + "/" + unique_name("missing")

    # -- queues --------------------------------------------------------------------------------

    def test_create_queue_is_idempotent_and_conflicts_on_different_attributes(self):
        name = unique_name("idem")
        url = self.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "40"})["QueueUrl"]
        self.addCleanup(self._delete_quietly, url)
        self.assertEqual(self.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "40"})[
            "QueueUrl"], url)
        self.assertEqual(self.sqs.create_queue(QueueName=name)["QueueUrl"], url)
        self.assertClientError("QueueAlreadyExists", self.sqs.create_queue, exception="QueueNameExists",
                               status=400, QueueName=name, Attributes={"VisibilityTimeout": "41"})
        # Compared against the CURRENT value: after SetQueueAttributes the new value is "the same".
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "41"})
        self.assertEqual(self.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "41"})[
            "QueueUrl"], url)

    def test_queue_url_points_back_at_the_endpoint(self):
        name = unique_name("url")
        url = self.make_queue_named(name)
        self.assertEqual(host_port(url), host_port(self.endpoint),
                         "clients that use the queue URL as endpoint (JS v3, sqs-consumer) must reach us")
        self.assertTrue(url.endswith("/" + name), url)
        self.assertEqual(self.sqs.get_queue_url(QueueName=name)["QueueUrl"], url)
        self.assertRegex(self.arn(url), r"^arn:aws:sqs:us-east-1:\d{12}:" + name + "$")

    def make_queue_named(self, name, **kwargs):
        url = self.sqs.create_queue(QueueName=name, **kwargs)["QueueUrl"]
        self.addCleanup(self._delete_quietly, url)
        return url

    def test_list_queues_by_prefix_then_delete(self):
        prefix = unique_name("list")
        a = self.make_queue_named(prefix + "-a")
        b = self.make_queue_named(prefix + "-b")
        other = self.make_queue("other")
        listed = self.sqs.list_queues(QueueNamePrefix=prefix)["QueueUrls"]
        self.assertEqual(sorted(listed), sorted([a, b]))
        self.assertIn(other, self.sqs.list_queues()["QueueUrls"])
        self.assertNotIn("QueueUrls", self.sqs.list_queues(QueueNamePrefix=unique_name("none")))

        self.sqs.delete_queue(QueueUrl=a)
        self.assertEqual(self.sqs.list_queues(QueueNamePrefix=prefix)["QueueUrls"], [b])
        self.assertClientError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.get_queue_url,
                               exception="QueueDoesNotExist", QueueName=prefix + "-a")

    @reference_gap("moto_server 5.2 ignores MaxResults and never returns NextToken")
    def test_list_queues_pages_with_max_results(self):
        prefix = unique_name("page")
        urls = sorted(self.make_queue_named(f"{prefix}-{i}") for i in range(3))
        first = self.sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
        self.assertEqual(len(first["QueueUrls"]), 2)
        self.assertIn("NextToken", first)
        second = self.sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=first["NextToken"])
        self.assertEqual(sorted(first["QueueUrls"] + second["QueueUrls"]), urls)
        self.assertNotIn("NextToken", second)

    # -- messages ------------------------------------------------------------------------------

    def test_send_receive_delete_with_message_and_system_attributes(self):
        url = self.make_queue("msg")
        before_ms = int(time.time() * 1000)
        sent = self.sqs.send_message(QueueUrl=url, MessageBody=BODY, MessageAttributes=ATTRIBUTES)
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex(BODY))
        self.assertEqual(sent["MD5OfMessageAttributes"], md5_of_message_attributes(ATTRIBUTES))
        self.assertNotIn("SequenceNumber", sent)

        msgs = self.receive(url, AttributeNames=["All"], MessageAttributeNames=["All"])
        self.assertEqual(len(msgs), 1)
        m = msgs[0]
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["Body"], BODY)
        self.assertEqual(m["MD5OfBody"], md5_hex(BODY))
        self.assertEqual(m["MessageAttributes"], ATTRIBUTES)
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_message_attributes(ATTRIBUTES))
        attrs = m["Attributes"]
        self.assertTrue(attrs["SenderId"])
        self.assertEqual(attrs["ApproximateReceiveCount"], "1")
        sent_ts = int(attrs["SentTimestamp"])
        self.assertLess(abs(sent_ts - before_ms), 60_000, "SentTimestamp is epoch milliseconds")
        self.assertGreaterEqual(int(attrs["ApproximateFirstReceiveTimestamp"]), sent_ts)
        self.assertNotIn("SequenceNumber", attrs)

        self.assertEqual(self.counts(url), ("0", "1", "0"))
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])  # idempotent
        self.assertEqual(self.counts(url), ("0", "0", "0"))
        self.assertEqual(self.receive(url), [])

    def test_receive_filters_message_attributes(self):
        url = self.make_queue("filter")
        self.sqs.send_message(QueueUrl=url, MessageBody="filtered", MessageAttributes=ATTRIBUTES)
        # No names: neither attributes nor their MD5.
        m = self.receive(url, VisibilityTimeout=0)[0]
        self.assertNotIn("MessageAttributes", m)
        self.assertNotIn("MD5OfMessageAttributes", m)
        self.assertNotIn("Attributes", m)
        # Exact names: that subset, and the MD5 over the returned subset.
        m = self.receive(url, VisibilityTimeout=0, MessageAttributeNames=["Count", "Blob", "Nope"])[0]
        subset = {k: ATTRIBUTES[k] for k in ("Count", "Blob")}
        self.assertEqual(m["MessageAttributes"], subset)
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_message_attributes(subset))

    def test_message_without_attributes_has_no_attribute_md5(self):
        url = self.make_queue("noattr")
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="test")
        self.assertEqual(sent["MD5OfMessageBody"], "098f6bcd4621d373cade4e832627b4f6")
        self.assertNotIn("MD5OfMessageAttributes", sent)
        m = self.receive(url, MessageAttributeNames=["All"])[0]
        self.assertNotIn("MD5OfMessageAttributes", m)
        self.assertNotIn("MessageAttributes", m)

    def test_delay_seconds_hides_a_message_until_due(self):
        url = self.make_queue("delay")
        self.sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=1)
        self.assertEqual(self.counts(url), ("0", "0", "1"))
        self.assertEqual(self.receive(url), [])
        msgs = wait_until(lambda: self.receive(url), timeout=3.0, interval=0.2)
        self.assertEqual([m["Body"] for m in msgs], ["later"])

    # -- batches -------------------------------------------------------------------------------

    @reference_gap("moto_server 5.2 fails the whole SendMessageBatch for one oversized entry "
                   "(AWS: per-entry Failed, HTTP 200)")
    def test_send_message_batch_reports_a_bad_entry_and_sends_the_rest(self):
        url = self.make_queue("sendbatch", attributes={"MaximumMessageSize": "1024"})
        result = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "ok-1", "MessageBody": "first", "MessageAttributes": {"Count": ATTRIBUTES["Count"]}},
            {"Id": "too_big", "MessageBody": "x" * 1025},
            {"Id": "ok-2", "MessageBody": "second"},
        ])
        ok = {e["Id"]: e for e in result["Successful"]}
        self.assertEqual(set(ok), {"ok-1", "ok-2"})
        self.assertEqual(ok["ok-1"]["MD5OfMessageBody"], md5_hex("first"))
        self.assertEqual(ok["ok-1"]["MD5OfMessageAttributes"],
                         md5_of_message_attributes({"Count": ATTRIBUTES["Count"]}))
        self.assertEqual(ok["ok-2"]["MD5OfMessageBody"], md5_hex("second"))
        self.assertNotIn("MD5OfMessageAttributes", ok["ok-2"])
        self.assertEqual(len(result["Failed"]), 1)
        failed = result["Failed"][0]
        self.assertEqual(failed["Id"], "too_big")
        self.assertEqual(failed["Code"], "InvalidParameterValue")
        self.assertIs(failed["SenderFault"], True)
        bodies = sorted(m["Body"] for m in self.drain(url))
        self.assertEqual(bodies, ["first", "second"])

    @reference_gap("moto_server 5.2 accepts characters outside the XML 1.0 set")
    def test_send_message_batch_reports_invalid_characters_per_entry(self):
        url = self.make_queue("badchars")
        result = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "good", "MessageBody": "fine"},
            {"Id": "bad", "MessageBody": "nul \u0000 inside"},
        ])
        self.assertEqual([e["Id"] for e in result["Successful"]], ["good"])
        self.assertEqual([(f["Id"], f["Code"], f["SenderFault"]) for f in result["Failed"]],
                         [("bad", "InvalidMessageContents", True)])
        self.assertClientError("InvalidMessageContents", self.sqs.send_message,
                               exception="InvalidMessageContents", status=400, QueueUrl=url,
                               MessageBody="bell \u0008")
        self.assertEqual([m["Body"] for m in self.drain(url)], ["fine"])

    def test_delete_message_batch_reports_a_bad_handle(self):
        url = self.make_queue("delbatch")
        self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": f"m{i}"} for i in range(2)])
        msgs = self._receive_n(url, 2)
        result = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "a", "ReceiptHandle": msgs[0]["ReceiptHandle"]},
            {"Id": "bad", "ReceiptHandle": "garbage"},
            {"Id": "b", "ReceiptHandle": msgs[1]["ReceiptHandle"]},
        ])
        self.assertEqual(sorted(e["Id"] for e in result["Successful"]), ["a", "b"])
        self.assertEqual(len(result["Failed"]), 1)
        self.assertEqual(result["Failed"][0]["Id"], "bad")
        self.assertEqual(result["Failed"][0]["Code"], "ReceiptHandleIsInvalid")
        self.assertIs(result["Failed"][0]["SenderFault"], True)
        self.assertEqual(self.counts(url), ("0", "0", "0"))

    def _receive_n(self, url, n, **kwargs):
        """Receives until n messages are in flight (short polls may sample fewer)."""
        got = []
        deadline = time.monotonic() + 5
        while len(got) < n and time.monotonic() < deadline:
            got += self.receive(url, MaxNumberOfMessages=10, VisibilityTimeout=30, **kwargs)
        self.assertEqual(len(got), n, got)
        return got

    def test_change_message_visibility_batch(self):
        url = self.make_queue("cmvbatch")
        self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": f"m{i}"} for i in range(2)])
        msgs = self._receive_n(url, 2)
        self.assertEqual(self.receive(url), [])
        result = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
            {"Id": f"e{i}", "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
            for i, m in enumerate(msgs)] + [{"Id": "bad", "ReceiptHandle": "garbage",
                                            "VisibilityTimeout": 0}])
        self.assertEqual(sorted(e["Id"] for e in result["Successful"]), ["e0", "e1"])
        self.assertEqual([(f["Id"], f["Code"]) for f in result["Failed"]],
                         [("bad", "ReceiptHandleIsInvalid")])
        again = self._receive_n(url, 2, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(sorted(m["MessageId"] for m in again), sorted(m["MessageId"] for m in msgs))
        self.assertEqual({m["Attributes"]["ApproximateReceiveCount"] for m in again}, {"2"})

    def test_batch_request_errors(self):
        url = self.make_queue("batcherr")
        eleven = [{"Id": f"e{i}", "MessageBody": "x"} for i in range(11)]
        self.assertClientError("AWS.SimpleQueueService.EmptyBatchRequest", self.raw.send_message_batch,
                               exception="EmptyBatchRequest", status=400, QueueUrl=url, Entries=[])
        self.assertClientError("AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                               self.raw.send_message_batch, exception="TooManyEntriesInBatchRequest",
                               status=400, QueueUrl=url, Entries=eleven)
        self.assertClientError("AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                               self.raw.send_message_batch, exception="BatchEntryIdsNotDistinct",
                               status=400, QueueUrl=url,
                               Entries=[{"Id": "same", "MessageBody": "a"}, {"Id": "same", "MessageBody": "b"}])
        self.assertClientError("AWS.SimpleQueueService.InvalidBatchEntryId", self.raw.send_message_batch,
                               exception="InvalidBatchEntryId", status=400, QueueUrl=url,
                               Entries=[{"Id": "not ok!", "MessageBody": "a"}])
        self.assertClientError("AWS.SimpleQueueService.EmptyBatchRequest", self.raw.delete_message_batch,
                               exception="EmptyBatchRequest", QueueUrl=url, Entries=[])
        self.assertEqual(self.counts(url), ("0", "0", "0"), "a rejected batch sends nothing")

    @reference_gap("moto_server 5.2 accepts an empty ChangeMessageVisibilityBatch")
    def test_empty_change_message_visibility_batch_is_refused(self):
        url = self.make_queue("emptycmv")
        self.assertClientError("AWS.SimpleQueueService.EmptyBatchRequest",
                               self.raw.change_message_visibility_batch, exception="EmptyBatchRequest",
                               status=400, QueueUrl=url, Entries=[])

    # -- visibility and long polling -----------------------------------------------------------

    def test_visibility_timeout_expiry_redelivers_with_a_new_handle(self):
        url = self.make_queue("vis")
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="again")
        first = self.receive(url, VisibilityTimeout=1, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(len(first), 1)
        self.assertEqual(self.receive(url), [], "in flight: invisible")
        time.sleep(1.2)
        second = self.receive(url, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(len(second), 1)
        self.assertEqual(second[0]["MessageId"], sent["MessageId"])
        self.assertEqual(second[0]["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertNotEqual(second[0]["ReceiptHandle"], first[0]["ReceiptHandle"])

    def test_change_message_visibility_zero_makes_it_visible_now(self):
        url = self.make_queue("cmv0")
        self.sqs.send_message(QueueUrl=url, MessageBody="now")
        m = self.receive(url, VisibilityTimeout=60)[0]
        self.assertEqual(self.receive(url), [])
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                                           VisibilityTimeout=0)
        again = self.receive(url)
        self.assertEqual([x["MessageId"] for x in again], [m["MessageId"]])

    def test_long_poll_returns_as_soon_as_a_message_arrives(self):
        url = self.make_queue("longpoll")
        sender = boto3_client(self.endpoint)
        timer = threading.Timer(0.5, lambda: sender.send_message(QueueUrl=url, MessageBody="late"))
        started = time.monotonic()
        timer.start()
        try:
            msgs = self.receive(url, WaitTimeSeconds=5)
        finally:
            timer.cancel()
            timer.join()
            if hasattr(sender, "close"):
                sender.close()
        elapsed = time.monotonic() - started
        self.assertEqual([m["Body"] for m in msgs], ["late"])
        self.assertGreaterEqual(elapsed, 0.4)
        self.assertLess(elapsed, 3.0, "the long poll must end when the message arrives, not at 5 s")

    def test_empty_long_poll_waits_then_returns_nothing(self):
        url = self.make_queue("emptypoll")
        started = time.monotonic()
        response = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)
        elapsed = time.monotonic() - started
        self.assertNotIn("Messages", response)
        self.assertGreaterEqual(elapsed, 0.9)
        self.assertLess(elapsed, 4.0)

    def test_long_poll_wakes_when_an_in_flight_message_becomes_visible(self):
        url = self.make_queue("wake")
        self.sqs.send_message(QueueUrl=url, MessageBody="comes back")
        self.assertEqual(len(self.receive(url, VisibilityTimeout=1)), 1)
        started = time.monotonic()
        msgs = self.receive(url, WaitTimeSeconds=5)
        elapsed = time.monotonic() - started
        self.assertEqual([m["Body"] for m in msgs], ["comes back"])
        self.assertLess(elapsed, 3.0, "the expiring visibility timeout must wake the long poll")

    def test_long_poll_does_not_wait_to_fill_max_number_of_messages(self):
        url = self.make_queue("nofill")
        self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": f"m{i}"} for i in range(2)])
        started = time.monotonic()
        msgs = self.receive(url, WaitTimeSeconds=5, MaxNumberOfMessages=3)
        self.assertGreaterEqual(len(msgs), 1)
        self.assertLess(time.monotonic() - started, 2.0)

    def test_queue_receive_wait_time_is_the_default_wait(self):
        url = self.make_queue("qwait", attributes={"ReceiveMessageWaitTimeSeconds": "1"})
        started = time.monotonic()
        self.assertEqual(self.receive(url), [])
        self.assertGreaterEqual(time.monotonic() - started, 0.9, "ReceiveMessageWaitTimeSeconds=1 applies")

    @reference_gap("moto_server 5.2 returns no MD5OfMessageSystemAttributes")
    def test_aws_trace_header_system_attribute(self):
        url = self.make_queue("trace")
        trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="traced", MessageAttributes={
            "Foo": {"DataType": "String", "StringValue": "Bar"}}, MessageSystemAttributes={
            "AWSTraceHeader": {"DataType": "String", "StringValue": trace}})
        self.assertEqual(sent["MD5OfMessageSystemAttributes"], "5ae4d5d7636402d80f4eb6d213245a88")
        self.assertEqual(sent["MD5OfMessageAttributes"], "ae7155c6026991b6d54b11589678bf9c",
                         "system attributes do not change the attribute MD5")
        m = self.receive(url, AttributeNames=["AWSTraceHeader"])[0]
        self.assertEqual(m["Attributes"], {"AWSTraceHeader": trace})

    @reference_gap("moto_server 5.2 does not validate SendMessage size and attribute rules")
    def test_send_message_validation(self):
        url = self.make_queue("validate", attributes={"MaximumMessageSize": "1024"})
        self.assertClientError("InvalidParameterValue", self.sqs.send_message, status=400,
                               QueueUrl=url, MessageBody="x" * 1025)
        self.assertClientError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                               MessageBody="x", MessageAttributes={"E": {"DataType": "String",
                                                                          "StringValue": ""}})
        self.assertClientError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                               MessageBody="x", MessageAttributes={"AWS.reserved": {
                                   "DataType": "String", "StringValue": "v"}})
        self.assertClientError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                               MessageBody="x", DelaySeconds=901)
        self.assertEqual(self.counts(url), ("0", "0", "0"))

    def test_receive_message_attribute_name_prefix(self):
        url = self.make_queue("prefix")
        attrs = {k: {"DataType": "String", "StringValue": v}
                 for k, v in {"General": "Kenobi", "Hello": "There", "Help.Me": "Me"}.items()}
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=attrs)
        m = self.receive(url, VisibilityTimeout=0, MessageAttributeNames=["Hel.*"])[0]
        self.assertEqual(sorted(m["MessageAttributes"]), ["Hello", "Help.Me"])
        self.assertEqual(m["MD5OfMessageAttributes"], "83fee93c1bcd8b9a5a923ffacdc636c7")
        m = self.receive(url, VisibilityTimeout=0, MessageAttributeNames=[".*"])[0]
        self.assertEqual(m["MD5OfMessageAttributes"], "4c360f3fdafd970e05fae2f149d997f5")

    @reference_gap("moto_server 5.2 accepts a visibility change for a deleted message")
    def test_change_visibility_of_a_deleted_message(self):
        url = self.make_queue("cmvdel")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        m = self.receive(url)[0]
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertClientError("InvalidParameterValue", self.sqs.change_message_visibility, status=400,
                               QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=10)

    # -- FIFO ----------------------------------------------------------------------------------

    def test_fifo_other_groups_flow_while_one_is_blocked(self):
        url = self.make_queue("groups", fifo=True)
        for group, body in (("a", "a1"), ("a", "a2"), ("b", "b1")):
            self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group,
                                  MessageDeduplicationId=body)
        first = self.receive(url, MaxNumberOfMessages=1)
        self.assertEqual([m["Body"] for m in first], ["a1"])
        self.assertEqual([m["Body"] for m in self.receive(url, MaxNumberOfMessages=10)], ["b1"])

    @reference_gap("moto_server 5.2 deletes FIFO messages with an expired receipt handle")
    def test_fifo_delete_with_an_expired_handle_fails(self):
        url = self.make_queue("expired", fifo=True)
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d")
        m = self.receive(url, VisibilityTimeout=0)[0]
        self.assertClientError("InvalidParameterValue", self.sqs.delete_message, status=400,
                               QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(len(self.receive(url)), 1, "the message is still there")

    def test_fifo_rejects_per_message_delay(self):
        url = self.make_queue("fifodelay", fifo=True)
        self.assertClientError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                               MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d",
                               DelaySeconds=2)
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g",
                              MessageDeduplicationId="d0", DelaySeconds=0)


    def test_fifo_keeps_group_order_and_deduplicates(self):
        url = self.make_queue("order", fifo=True)
        ids = []
        seqs = []
        for i in range(5):
            r = self.sqs.send_message(QueueUrl=url, MessageBody=f"m{i}", MessageGroupId="g1",
                                      MessageDeduplicationId=f"d{i}")
            ids.append(r["MessageId"])
            seqs.append(int(r["SequenceNumber"]))
        self.sqs.send_message(QueueUrl=url, MessageBody="m0 again", MessageGroupId="g1",
                              MessageDeduplicationId="d0")
        got = self.drain(url, AttributeNames=["All"])
        self.assertEqual([m["Body"] for m in got], [f"m{i}" for i in range(5)])
        self.assertEqual([m["MessageId"] for m in got], ids)
        first = got[0]["Attributes"]
        self.assertEqual(first["MessageGroupId"], "g1")
        self.assertEqual(first["MessageDeduplicationId"], "d0")
        self.assertEqual([int(m["Attributes"]["SequenceNumber"]) for m in got], seqs)

    @reference_gap("moto_server 5.2 returns a fresh MessageId for a deduplicated send")
    def test_fifo_duplicate_send_returns_the_original_message_id(self):
        url = self.make_queue("dupid", fifo=True)
        first = self.sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g",
                                      MessageDeduplicationId="same")
        again = self.sqs.send_message(QueueUrl=url, MessageBody="two", MessageGroupId="g",
                                      MessageDeduplicationId="same")
        self.assertEqual(again["MessageId"], first["MessageId"])
        self.assertEqual([m["Body"] for m in self.drain(url)], ["one"])

    @reference_gap("moto_server 5.2 forgets a deduplication id once its message is deleted")
    def test_fifo_dedup_outlives_the_deleted_original(self):
        url = self.make_queue("dedupdel", fifo=True)
        self.sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g",
                              MessageDeduplicationId="d")
        self.assertEqual(len(self.drain(url)), 1)
        self.sqs.send_message(QueueUrl=url, MessageBody="one again", MessageGroupId="g",
                              MessageDeduplicationId="d")
        self.assertEqual(self.receive(url), [], "the 5-minute window outlives the delete")

    @reference_gap("moto_server 5.2 hands out random, unordered SequenceNumbers")
    def test_fifo_sequence_numbers_increase_within_a_group(self):
        url = self.make_queue("seq", fifo=True)
        seqs = [int(self.sqs.send_message(QueueUrl=url, MessageBody=f"m{i}", MessageGroupId="g",
                                          MessageDeduplicationId=f"d{i}")["SequenceNumber"])
                for i in range(4)]
        self.assertEqual(seqs, sorted(set(seqs)))

    def test_fifo_group_is_blocked_while_a_message_is_in_flight(self):
        url = self.make_queue("block", fifo=True)
        for i in range(2):
            self.sqs.send_message(QueueUrl=url, MessageBody=f"m{i}", MessageGroupId="g",
                                  MessageDeduplicationId=f"d{i}")
        first = self.receive(url, MaxNumberOfMessages=1)
        self.assertEqual([m["Body"] for m in first], ["m0"])
        self.assertEqual(self.receive(url), [], "m1 waits while m0 of its group is in flight")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
        self.assertEqual([m["Body"] for m in self.receive(url)], ["m1"])

    def test_fifo_content_based_deduplication(self):
        url = self.make_queue("cbd", fifo=True, attributes={"ContentBasedDeduplication": "true"})
        a = self.sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g")
        b = self.sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g")
        c = self.sqs.send_message(QueueUrl=url, MessageBody="other body", MessageGroupId="g")
        d = self.sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g",
                                  MessageDeduplicationId="explicit")  # an explicit id overrides
        self.assertEqual([m["Body"] for m in self.drain(url)], ["same body", "other body", "same body"])
        self.assertEqual(len({a["MessageId"], c["MessageId"], d["MessageId"]}), 3)
        if not self.under_reference:  # moto_server 5.2 returns a fresh MessageId for a duplicate
            self.assertEqual(b["MessageId"], a["MessageId"])

    @reference_gap("moto_server 5.2 hashes message attributes into the content-based dedup id")
    def test_fifo_content_based_deduplication_ignores_attributes(self):
        url = self.make_queue("cbdattr", fifo=True, attributes={"ContentBasedDeduplication": "true"})
        a = self.sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g")
        b = self.sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g",
                                  MessageAttributes={"Count": ATTRIBUTES["Count"]})
        self.assertEqual(a["MessageId"], b["MessageId"], "the SHA-256 of the body only")
        self.assertEqual(len(self.drain(url)), 1)

    def test_fifo_send_errors(self):
        url = self.make_queue("fifoerr", fifo=True)
        self.assertClientError("MissingParameter", self.sqs.send_message, status=400, QueueUrl=url,
                               MessageBody="no group", MessageDeduplicationId="d")
        self.assertClientError("InvalidParameterValue", self.sqs.send_message, status=400,
                               QueueUrl=url, MessageBody="no dedup id", MessageGroupId="g")
        self.assertEqual(self.counts(url), ("0", "0", "0"))

    def test_fifo_queue_needs_the_fifo_suffix(self):
        self.assertClientError("InvalidParameterValue", self.sqs.create_queue,
                               QueueName=unique_name("nofifo"), Attributes={"FifoQueue": "true"})

    @reference_gap("moto_server 5.2 creates a standard queue named *.fifo")
    def test_standard_queue_cannot_have_the_fifo_suffix(self):
        self.assertClientError("InvalidParameterValue", self.sqs.create_queue,
                               QueueName=unique_name("suffix", fifo=True))

    # -- dead-letter queues and move tasks -----------------------------------------------------

    def make_redrive_pair(self, max_receive_count=2):
        dlq = self.make_queue("dlq")
        dlq_arn = self.arn(dlq)
        policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})
        src = self.make_queue("src", attributes={"RedrivePolicy": policy})
        return src, dlq, dlq_arn

    def test_redrive_moves_to_dlq_after_max_receive_count(self):
        src, dlq, dlq_arn = self.make_redrive_pair(2)
        sent = self.sqs.send_message(QueueUrl=src, MessageBody="poison",
                                     MessageAttributes={"Count": ATTRIBUTES["Count"]})
        for n in (1, 2):
            msgs = self.receive(src, VisibilityTimeout=0, AttributeNames=["ApproximateReceiveCount"])
            self.assertEqual(len(msgs), 1, f"receive {n} of maxReceiveCount 2 still delivers")
            self.assertEqual(msgs[0]["Attributes"]["ApproximateReceiveCount"], str(n))
        self.assertEqual(self.receive(src, VisibilityTimeout=0), [],
                         "the receive after maxReceiveCount moves the message instead")
        moved = self.receive(dlq, MessageAttributeNames=["All"])
        self.assertEqual(len(moved), 1)
        m = moved[0]
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["Body"], "poison")
        self.assertEqual(m["MessageAttributes"], {"Count": ATTRIBUTES["Count"]})
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"], [src])
        self.assertEqual(self.counts(src), ("0", "0", "0"))

    @reference_gap("moto_server 5.2 adds no DeadLetterQueueSourceArn and restarts the receive count")
    def test_dlq_message_carries_source_arn_and_receive_count(self):
        src, dlq, dlq_arn = self.make_redrive_pair(1)
        sent = self.sqs.send_message(QueueUrl=src, MessageBody="poison")
        self.assertEqual(len(self.receive(src, VisibilityTimeout=0)), 1)
        self.assertEqual(self.receive(src, VisibilityTimeout=0), [])
        m = self.receive(dlq, AttributeNames=["All"])[0]
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["Attributes"]["DeadLetterQueueSourceArn"], self.arn(src))
        self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], "2",
                         "the count carries over from the source queue")

    @reference_gap("moto_server 5.2 has no message move tasks (StartMessageMoveTask is not implemented)")
    def test_move_task_returns_dlq_messages_to_their_source(self):
        if not hasattr(self.sqs, "start_message_move_task"):
            self.skipTest("this boto3 predates message move tasks (client limitation)")
        src, dlq, dlq_arn = self.make_redrive_pair(1)
        sent = self.sqs.send_message(QueueUrl=src, MessageBody="bring me back")
        self.receive(src, VisibilityTimeout=0)
        self.assertEqual(self.receive(src, VisibilityTimeout=0), [])
        self.assertEqual(self.counts(dlq)[0], "1")

        handle = self.sqs.start_message_move_task(SourceArn=dlq_arn)["TaskHandle"]
        self.assertTrue(handle)

        def completed():
            results = self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
            return results if results and results[0]["Status"] == "COMPLETED" else None
        results = wait_until(completed, timeout=10.0, interval=0.2)
        self.assertTrue(results, self.sqs.list_message_move_tasks(SourceArn=dlq_arn))
        task = results[0]
        self.assertEqual(task["SourceArn"], dlq_arn)
        self.assertEqual(task["ApproximateNumberOfMessagesMoved"], 1)
        self.assertEqual(task["ApproximateNumberOfMessagesToMove"], 1)
        self.assertNotIn("TaskHandle", task, "only RUNNING tasks carry a handle")
        back = self.receive(src)
        self.assertEqual([(m["MessageId"], m["Body"]) for m in back], [(sent["MessageId"], "bring me back")])
        self.assertEqual(self.counts(dlq), ("0", "0", "0"))

    @reference_gap("moto_server 5.2 has no message move tasks")
    def test_move_task_errors(self):
        if not hasattr(self.sqs, "start_message_move_task"):
            self.skipTest("this boto3 predates message move tasks (client limitation)")
        plain = self.make_queue("notdlq")
        self.assertClientError("InvalidParameterValue", self.sqs.start_message_move_task,
                               SourceArn=self.arn(plain))
        missing = self.arn(plain).rsplit(":", 1)[0] + ":" + unique_name("gone")
        self.assertClientError("ResourceNotFoundException", self.sqs.start_message_move_task,
                               exception="ResourceNotFoundException", status=404, SourceArn=missing)

    @reference_gap("moto_server 5.2 has no message move tasks")
    def test_move_task_to_an_explicit_destination_and_task_errors(self):
        if not hasattr(self.sqs, "start_message_move_task"):
            self.skipTest("this boto3 predates message move tasks (client limitation)")
        src, dlq, dlq_arn = self.make_redrive_pair(1)
        other = self.make_queue("dest")
        for i in range(3):
            self.sqs.send_message(QueueUrl=src, MessageBody=f"m{i}")
        for _ in range(10):  # each message is received once (count 1); the next receive moves it
            self.receive(src, VisibilityTimeout=0, MaxNumberOfMessages=10)
            if self.counts(dlq)[0] == "3":
                break
        self.assertEqual(self.counts(dlq)[0], "3")
        self.sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=self.arn(other),
                                         MaxNumberOfMessagesPerSecond=100)

        def finished():
            r = self.sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10)["Results"]
            return r if r and r[0]["Status"] in ("COMPLETED", "FAILED") else None
        task = wait_until(finished, timeout=10.0, interval=0.2)[0]
        self.assertEqual(task["Status"], "COMPLETED", task)
        self.assertEqual(task["DestinationArn"], self.arn(other))
        self.assertEqual(task["MaxNumberOfMessagesPerSecond"], 100)
        self.assertEqual(task["ApproximateNumberOfMessagesMoved"], 3)
        self.assertIsInstance(task["StartedTimestamp"], int)
        self.assertEqual(sorted(m["Body"] for m in self.drain(other)), ["m0", "m1", "m2"])
        self.assertClientError("InvalidParameterValue", self.sqs.cancel_message_move_task,
                               TaskHandle="garbage")

    # -- attributes, tags, purge ---------------------------------------------------------------

    @reference_gap("moto_server 5.2 reports the pre-2025 MaximumMessageSize default 262144, not 1048576")
    def test_default_queue_attributes(self):
        url = self.make_queue("defaults")
        now = time.time()
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        expected = {"DelaySeconds": "0", "MaximumMessageSize": "1048576",
                    "MessageRetentionPeriod": "345600", "ReceiveMessageWaitTimeSeconds": "0",
                    "VisibilityTimeout": "30", "ApproximateNumberOfMessages": "0",
                    "ApproximateNumberOfMessagesNotVisible": "0",
                    "ApproximateNumberOfMessagesDelayed": "0"}
        self.assertEqual({k: attrs.get(k) for k in expected}, expected)
        self.assertLess(abs(int(attrs["CreatedTimestamp"]) - now), 60, "epoch seconds")
        self.assertLess(abs(int(attrs["LastModifiedTimestamp"]) - now), 60)
        self.assertRegex(attrs["QueueArn"], r"^arn:aws:sqs:us-east-1:\d{12}:slw-")
        self.assertNotIn("FifoQueue", attrs)
        self.assertNotIn("RedrivePolicy", attrs)
        self.assertEqual(self.sqs.get_queue_attributes(QueueUrl=url).get("Attributes", {}), {},
                         "no AttributeNames: no attributes")

    def test_set_and_get_queue_attributes_including_redrive_policy(self):
        dlq = self.make_queue("attrdlq")
        dlq_arn = self.arn(dlq)
        url = self.make_queue("attrs", attributes={"DelaySeconds": "2"})
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={
            "VisibilityTimeout": "45", "MessageRetentionPeriod": "3600",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})})
        attrs = self.sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds",
                                          "RedrivePolicy"])["Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "45")
        self.assertEqual(attrs["MessageRetentionPeriod"], "3600")
        self.assertEqual(attrs["DelaySeconds"], "2")
        policy = json.loads(attrs["RedrivePolicy"])
        self.assertEqual(policy["deadLetterTargetArn"], dlq_arn)
        self.assertEqual(int(policy["maxReceiveCount"]), 3)
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"], [url])

        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": ""})
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertNotIn("RedrivePolicy", attrs)
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq).get("queueUrls", []), [])

    def test_get_unknown_queue_attribute_is_invalid_attribute_name(self):
        url = self.make_queue("attrname")
        r = self.assertClientError("InvalidAttributeName", self.raw.get_queue_attributes,
                                   exception="InvalidAttributeName", status=400, QueueUrl=url,
                                   AttributeNames=["Foobar"])
        self.assertEqual(r["Error"]["Message"], "Unknown Attribute Foobar.")

    @reference_gap("moto_server 5.2 accepts unknown and out-of-range attributes in SetQueueAttributes")
    def test_set_queue_attribute_errors(self):
        url = self.make_queue("attrerr")
        self.assertClientError("InvalidAttributeName", self.sqs.set_queue_attributes,
                               exception="InvalidAttributeName", QueueUrl=url,
                               Attributes={"Foobar": "1"})
        self.assertClientError("InvalidAttributeValue", self.sqs.set_queue_attributes, status=400,
                               QueueUrl=url, Attributes={"VisibilityTimeout": "43201"})
        self.assertEqual(self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])[
            "Attributes"]["VisibilityTimeout"], "30", "a rejected set changes nothing")

    def test_tags(self):
        url = self.make_queue("tags", tags={"team": "core", "env": "test"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "core", "env": "test"})
        self.sqs.tag_queue(QueueUrl=url, Tags={"env": "prod", "Owner": "me", "empty": ""})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"],
                         {"team": "core", "env": "prod", "Owner": "me", "empty": ""})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["team", "owner", "not-there"])  # case-sensitive
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"],
                         {"env": "prod", "Owner": "me", "empty": ""})

    def test_untagging_everything_leaves_no_tags(self):
        if self.under_reference and self.protocol == "json":
            self.skipTest("reference server gap ($SQS_ENDPOINT): moto_server 5.2 answers ListQueueTags "
                          "over JSON with an empty Tags map instead of none")
        url = self.make_queue("untag", tags={"a": "1"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["a"])
        self.assertNotIn("Tags", self.sqs.list_queue_tags(QueueUrl=url))

    def test_purge_queue_removes_every_message(self):
        url = self.make_queue("purge")
        self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": f"m{i}"} for i in range(3)])
        self.sqs.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=60)
        self.receive(url, VisibilityTimeout=60)  # one in flight: purged too
        self.sqs.purge_queue(QueueUrl=url)
        self.assertEqual(wait_until(lambda: self.counts(url) == ("0", "0", "0"), timeout=2.0), True,
                         self.counts(url))
        self.assertEqual(self.receive(url), [])

    @reference_gap("moto_server 5.2 lets a queue be recreated at once after DeleteQueue")
    def test_recreate_within_60_seconds_of_delete_is_refused(self):
        name = unique_name("recreate")
        url = self.make_queue_named(name)
        self.sqs.delete_queue(QueueUrl=url)
        self.assertClientError("AWS.SimpleQueueService.QueueDeletedRecently", self.sqs.create_queue,
                               exception="QueueDeletedRecently", status=400, QueueName=name)

    @reference_gap("moto_server 5.2 allows back-to-back purges (no PurgeQueueInProgress)")
    def test_second_purge_within_60_seconds_is_refused(self):
        url = self.make_queue("purge")
        self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": f"m{i}"} for i in range(3)])
        self.sqs.purge_queue(QueueUrl=url)
        self.assertClientError("AWS.SimpleQueueService.PurgeQueueInProgress", self.sqs.purge_queue,
                               exception="PurgeQueueInProgress", status=403, QueueUrl=url)

    # -- error codes ---------------------------------------------------------------------------

    def test_missing_queue_is_queue_does_not_exist(self):
        missing = self.missing_queue_url()
        text = {"json": "The specified queue does not exist.",
                "query": "The specified queue does not exist for this wsdl version."}[self.protocol]
        for call, kwargs in [(self.sqs.send_message, {"MessageBody": "x"}),
                             (self.sqs.receive_message, {}),
                             (self.sqs.get_queue_attributes, {"AttributeNames": ["All"]}),
                             (self.sqs.purge_queue, {})]:
            with self.subTest(call.__name__):
                r = self.assertClientError("AWS.SimpleQueueService.NonExistentQueue", call,
                                           exception="QueueDoesNotExist", status=400,
                                           QueueUrl=missing, **kwargs)
                self.assertEqual(r["Error"]["Message"], text)
        self.assertClientError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.get_queue_url,
                               exception="QueueDoesNotExist", QueueName=unique_name("nope"))
        self.assertClientError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.delete_queue,
                               exception="QueueDoesNotExist", QueueUrl=missing)

    def test_garbage_receipt_handle_is_invalid(self):
        url = self.make_queue("handle")
        self.assertClientError("ReceiptHandleIsInvalid", self.sqs.delete_message,
                               exception="ReceiptHandleIsInvalid", QueueUrl=url, ReceiptHandle="garbage")
        self.assertClientError("ReceiptHandleIsInvalid", self.sqs.change_message_visibility,
                               exception="ReceiptHandleIsInvalid", QueueUrl=url, ReceiptHandle="garbage",
                               VisibilityTimeout=5)

    def test_receive_parameter_range_errors(self):
        url = self.make_queue("range")
        self.assertClientError("InvalidParameterValue", self.raw.receive_message, status=400,
                               QueueUrl=url, MaxNumberOfMessages=11)
        self.assertClientError("InvalidParameterValue", self.raw.receive_message, status=400,
                               QueueUrl=url, MaxNumberOfMessages=0)
        self.assertClientError("InvalidParameterValue", self.raw.receive_message, status=400,
                               QueueUrl=url, WaitTimeSeconds=21)

    @reference_gap("moto_server 5.2 answers a SendMessage without MessageBody with HTTP 500")
    def test_missing_parameter(self):
        url = self.make_queue("missingparam")
        self.assertClientError("MissingParameter", self.raw.send_message, status=400, QueueUrl=url)
        self.assertClientError("MissingParameter", self.raw.send_message, status=400, QueueUrl=url,
                               MessageBody="")
        self.assertEqual(self.counts(url), ("0", "0", "0"))


class Boto3JsonTest(Boto3SqsCases, SqsEndpointTestCase):
    protocol = "json"

    def test_client_speaks_json(self):
        import botocore
        self.assertEqual(self.sqs.meta.service_model.protocol, "json",
                         f"botocore {botocore.__version__}: JSON needs >= 1.34.90 (the default python3's)")

    def test_message_system_attribute_names(self):
        url = self.make_queue("sysattrs")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        m = self.receive(url, MessageSystemAttributeNames=["SentTimestamp", "ApproximateReceiveCount"])[0]
        self.assertEqual(sorted(m["Attributes"]), ["ApproximateReceiveCount", "SentTimestamp"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
