"""A minimal fake of the platform's side of the Lambda Runtime API 2018-06-01, for testing runtime clients.

It hands queued events to `GET /invocation/next` and records what the worker posts back.
"""

import json
import queue
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"


class Posted:
    """What a worker posted for one request: kind is "response" or "error"."""

    def __init__(self, kind, body, headers):
        self.kind = kind
        self.body = body
        self.headers = headers

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"Posted({self.kind!r}, {self.body[:300]!r})"


class RuntimeApiStub:
    def __init__(self):
        self._events = queue.Queue()
        self._posted = {}
        self._cond = threading.Condition()
        self.init_errors = []
        self.next_calls = 0
        self._stopping = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the real runtime API

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path != PREFIX + "/invocation/next":
                    return self._reply(404, b'{"errorType":"NotFound"}')
                with stub._cond:
                    stub.next_calls += 1
                    stub._cond.notify_all()
                while True:
                    if stub._stopping.is_set():
                        # Drop the connection without an answer: the platform went away.
                        self.close_connection = True
                        return
                    try:
                        request_id, body, headers = stub._events.get(timeout=0.05)
                        break
                    except queue.Empty:
                        continue
                self.send_response(200)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                path = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else ""
                parts = path.strip("/").split("/")
                if parts == ["init", "error"]:
                    with stub._cond:
                        stub.init_errors.append(Posted("error", body, dict(self.headers)))
                        stub._cond.notify_all()
                    return self._reply(202, b'{"status":"OK"}')
                if len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                    with stub._cond:
                        stub._posted[parts[1]] = Posted(parts[2], body, dict(self.headers))
                        stub._cond.notify_all()
                    return self._reply(202, b'{"status":"OK"}')
                return self._reply(404, b'{"errorType":"NotFound"}')

            def _reply(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # workers killed mid-request reset their connections; that is expected here

        self._server = QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def address(self):
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def enqueue(self, event, timeout_ms=3000, trace_id=None, request_id=None, raw=None):
        request_id = request_id or str(uuid.uuid4())
        headers = {
            "Lambda-Runtime-Aws-Request-Id": request_id,
            "Lambda-Runtime-Deadline-Ms": str(int(time.time() * 1000) + timeout_ms),
            "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:local:000000000000:function:fixture",
            "Lambda-Runtime-Trace-Id": trace_id or f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]};Sampled=1",
            "traceparent": f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
            "Content-Type": "application/json",
        }
        body = raw if raw is not None else json.dumps(event).encode("utf-8")
        self._events.put((request_id, body, headers))
        return request_id, headers

    def wait_posted(self, request_id, timeout=15):
        with self._cond:
            if not self._cond.wait_for(lambda: request_id in self._posted, timeout):
                raise TimeoutError(f"no response or error posted for request {request_id} within {timeout}s")
            return self._posted[request_id]

    def wait_init_error(self, timeout=15):
        with self._cond:
            if not self._cond.wait_for(lambda: self.init_errors, timeout):
                raise TimeoutError(f"no init error posted within {timeout}s")
            return self.init_errors[0]

    def invoke(self, event, **kwargs):
        request_id, headers = self.enqueue(event, **kwargs)
        return request_id, headers, self.wait_posted(request_id)

    def stop(self):
        """Simulates the platform going away: pending long polls are dropped and the port is closed."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
