#!/usr/bin/env python3
"""A Lambda runtime that speaks the Runtime API over a raw socket, so test_runtime_api_wire.py
can send what real clients send and what they should not: chunked bodies with trailers,
`Expect: 100-continue`, streamed responses that fail midway, wrong request ids, second
responses, bad response modes. The event's "case" picks the behaviour; the answer reports what
the runtime saw."""
import base64
import json
import os
import socket
import sys

HOST, PORT = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
BASE = "/2018-06-01/runtime"


def read_response(sock_file):
    status_line = sock_file.readline().decode()
    status = int(status_line.split()[1])
    headers = {}
    while True:
        line = sock_file.readline().decode()
        if line in ("\r\n", ""):
            break
        name, value = line.split(":", 1)
        headers[name.strip().lower()] = value.strip()
    body = sock_file.read(int(headers.get("content-length", "0")))
    return status, headers, body


class Api:
    def __init__(self):
        self.sock = socket.create_connection((HOST, int(PORT)))
        self.file = self.sock.makefile("rb")

    def send(self, data):
        self.sock.sendall(data.encode() if isinstance(data, str) else data)

    def request(self, method, path, body=b"", headers=None):
        head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: {len(body)}\r\n"
        for k, v in (headers or {}).items():
            head += f"{k}: {v}\r\n"
        self.send(head + "\r\n")
        self.send(body)
        return read_response(self.file)

    def chunked(self, path, chunks, headers=None, trailers=None):
        head = f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nTransfer-Encoding: chunked\r\n"
        for k, v in (headers or {}).items():
            head += f"{k}: {v}\r\n"
        self.send(head + "\r\n")
        for c in chunks:
            self.send(f"{len(c):x}\r\n{c}\r\n")
        tail = "0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in (trailers or {}).items()) + "\r\n"
        self.send(tail)
        return read_response(self.file)


def respond(api, rid, payload):
    return api.request("POST", f"{BASE}/invocation/{rid}/response", json.dumps(payload).encode())


def handle(api, case, rid, next_headers):
    if case == "headers":
        respond(api, rid, {k: v for k, v in next_headers.items() if k.startswith("lambda-runtime-")})
    elif case == "chunked":
        api.chunked(f"{BASE}/invocation/{rid}/response", ['{"chun', 'ked": ', 'true}'])
    elif case == "stream_error":
        error = json.dumps({"errorType": "Streamed.Failure", "errorMessage": "failed midway"})
        api.chunked(f"{BASE}/invocation/{rid}/response", ["partial "],
                    headers={"Lambda-Runtime-Function-Response-Mode": "streaming",
                             "Trailer": "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body"},
                    trailers={"Lambda-Runtime-Function-Error-Type": "Streamed.Failure",
                              "Lambda-Runtime-Function-Error-Body": base64.b64encode(error.encode()).decode()})
    elif case == "expect":
        body = b'{"sent_after": "100 Continue"}'
        api.send(f"POST {BASE}/invocation/{rid}/response HTTP/1.1\r\nHost: {HOST}\r\n"
                 f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n")
        interim = api.file.readline().decode().strip()
        api.file.readline()  # the blank line ending the interim response
        if interim != "HTTP/1.1 100 Continue":
            sys.exit(f"expected 100 Continue, got {interim!r}")
        api.send(body)
        read_response(api.file)
    elif case == "bad_id":
        status, _, body = api.request("POST", f"{BASE}/invocation/not-{rid}/response", b"{}")
        respond(api, rid, {"status": status, "body": json.loads(body)})
    elif case == "bad_mode":
        status, _, body = api.request("POST", f"{BASE}/invocation/{rid}/response", b"{}",
                                      {"Lambda-Runtime-Function-Response-Mode": "buffered"})
        respond(api, rid, {"status": status, "body": json.loads(body)})
    elif case == "twice":
        first, _, _ = respond(api, rid, {"first": True})
        second, _, body = respond(api, rid, {"second": True})
        print(f"raw_runtime: first response {first}, second response {second} {body.decode()}", flush=True)
    elif case == "error_header_only":
        api.request("POST", f"{BASE}/invocation/{rid}/error", b"",
                    {"Lambda-Runtime-Function-Error-Type": "Custom.HeaderOnly"})
    else:
        respond(api, rid, {"unknown_case": case})


def main():
    api = Api()
    while True:
        status, headers, body = api.request("GET", f"{BASE}/invocation/next")
        if status != 200:
            sys.exit(f"/next answered {status}")
        handle(api, json.loads(body).get("case"), headers["lambda-runtime-aws-request-id"], headers)


if __name__ == "__main__":
    main()
