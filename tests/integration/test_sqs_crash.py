"""Durability across kill -9: a message whose SendMessage returned 200 survives the daemon being
killed mid-stream; a deleted message never returns; in-flight messages reappear at their recorded
visibility deadline, not before. Driven by boto3 (JSON protocol)."""
import os
import signal
import threading
import time
import unittest

import boto3
from botocore.config import Config

from harness import Daemon


def client(endpoint):
    return boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 1}, max_pool_connections=16))


def drain(sqs, url, visibility=30):
    """Receives and deletes until the queue answers empty; returns the bodies seen."""
    bodies = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=visibility,
                                  WaitTimeSeconds=0).get("Messages", [])
        if not got:
            return bodies
        bodies += [m["Body"] for m in got]
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])


class CrashTest(unittest.TestCase):
    def test_acknowledged_messages_survive_kill_9(self):
        d = Daemon().start()
        try:
            sqs = client(d.endpoint)
            url = sqs.create_queue(QueueName="crash")["QueueUrl"]
            # Some messages are deleted before the crash: they must never come back.
            for i in range(20):
                sqs.send_message(QueueUrl=url, MessageBody=f"deleted-{i}")
            self.assertEqual(len(drain(sqs, url)), 20)

            acked, lock, stop = set(), threading.Lock(), threading.Event()

            def sender(worker):
                c = client(d.endpoint)
                n = 0
                while not stop.is_set():
                    body = f"w{worker}-{n}"
                    try:
                        c.send_message(QueueUrl=url, MessageBody=body)
                    except Exception:  # the daemon died under us: this one was not acknowledged
                        return
                    with lock:
                        acked.add(body)
                    n += 1

            threads = [threading.Thread(target=sender, args=(w,)) for w in range(4)]
            for t in threads:
                t.start()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with lock:
                    if len(acked) >= 1500:
                        break
                time.sleep(0.01)
            d.proc.send_signal(signal.SIGKILL)  # mid-stream: senders are still sending
            d.proc.wait(timeout=10)
            stop.set()
            for t in threads:
                t.join(timeout=30)
            self.assertGreaterEqual(len(acked), 1500)

            again = Daemon(data_dir=d.data_dir).start()
            try:
                sqs2 = client(again.endpoint)
                url2 = sqs2.get_queue_url(QueueName="crash")["QueueUrl"]
                bodies = drain(sqs2, url2)
                self.assertEqual(len(bodies), len(set(bodies)), "a message was delivered twice")
                missing = acked - set(bodies)
                self.assertFalse(missing, f"{len(missing)} acknowledged messages were lost")
                self.assertFalse([b for b in bodies if b.startswith("deleted-")],
                                 "a deleted message came back")
                unexpected = [b for b in bodies if b not in acked and not b.startswith("w")]
                self.assertFalse(unexpected)
            finally:
                again.stop()
        finally:
            d.kill()

    def test_in_flight_messages_reappear_at_their_deadline(self):
        d = Daemon().start()
        try:
            sqs = client(d.endpoint)
            url = sqs.create_queue(QueueName="inflight")["QueueUrl"]
            for i in range(5):
                sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=5)["Messages"]
            received_at = time.monotonic()
            self.assertEqual(len(got), 5)
            d.proc.send_signal(signal.SIGKILL)
            d.proc.wait(timeout=10)

            again = Daemon(data_dir=d.data_dir).start()
            try:
                sqs2 = client(again.endpoint)
                url2 = sqs2.get_queue_url(QueueName="inflight")["QueueUrl"]
                early = sqs2.receive_message(QueueUrl=url2, MaxNumberOfMessages=10).get("Messages", [])
                self.assertLess(time.monotonic() - received_at, 4.5, "restart too slow for this check")
                self.assertEqual(early, [], "in-flight messages came back before their deadline")
                # Long-poll past the deadline: they come back, with a receive count of 2.
                back = []
                deadline = time.monotonic() + 15
                while len(back) < 5 and time.monotonic() < deadline:
                    back += sqs2.receive_message(QueueUrl=url2, MaxNumberOfMessages=10, WaitTimeSeconds=5,
                                                 AttributeNames=["ApproximateReceiveCount"]).get("Messages", [])
                self.assertEqual(sorted(m["Body"] for m in back), [f"m{i}" for i in range(5)])
                self.assertGreaterEqual(time.monotonic() - received_at, 5.0 - 0.05)
                self.assertEqual({m["Attributes"]["ApproximateReceiveCount"] for m in back}, {"2"})
                # The old receipt handles are from before the crash; delete with the new ones.
                sqs2.delete_message_batch(QueueUrl=url2, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(back)])
            finally:
                again.stop()
        finally:
            d.kill()

    def test_wal_is_checkpointed_into_the_database_while_serving(self):
        # Checkpoints run on a background thread (store/checkpointer.h), not inside commits: the
        # data reaches the main database file while the daemon keeps serving.
        with Daemon() as d:
            sqs = client(d.endpoint)
            url = sqs.create_queue(QueueName="wal")["QueueUrl"]
            body = "x" * 1000
            for i in range(300):
                sqs.send_message_batch(QueueUrl=url, Entries=[
                    {"Id": str(j), "MessageBody": body} for j in range(10)])
            db = os.path.join(d.data_dir, "slipway.db")
            deadline = time.monotonic() + 10
            while os.path.getsize(db) < 3_000_000 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertGreaterEqual(os.path.getsize(db), 3_000_000)


if __name__ == "__main__":
    unittest.main(verbosity=2)
