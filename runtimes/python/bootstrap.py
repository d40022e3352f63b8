#!/usr/bin/env python3
"""Nimbus runtime client for Python (3.11+).

Speaks the AWS Lambda Runtime API 2018-06-01 over loopback HTTP, so handlers written for Lambda's python
runtime run unchanged. Standard library only.
"""

import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

BASE = "/2018-06-01/runtime"

# The request id log records belong to; empty outside an invocation.
_current_request_id = ""


class RuntimeApiGone(Exception):
    """The runtime API cannot be reached: the platform is gone."""


class RuntimeClient:
    """One persistent HTTP connection to the runtime API; invocations are strictly sequential."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self._host = host or address
        self._port = int(port) if host else 80
        self._conn = None

    def _request(self, method, path, body=None, headers=None):
        # One retry on a fresh connection: a kept-alive socket may have been closed by the server meanwhile.
        for attempt in (0, 1):
            if self._conn is None:
                # No timeout: GET next is a long poll that lasts until there is work.
                self._conn = http.client.HTTPConnection(self._host, self._port, timeout=None)
            try:
                self._conn.request(method, BASE + path, body=body, headers=headers or {})
                response = self._conn.getresponse()
                data = response.read()
                return response.status, response.headers, data
            except (ConnectionError, http.client.HTTPException, OSError) as err:
                self._conn.close()
                self._conn = None
                if attempt == 1:
                    raise RuntimeApiGone(str(err)) from err
        raise AssertionError("unreachable")

    def next(self):
        return self._request("GET", "/invocation/next")

    def post(self, path, body, headers=None):
        all_headers = {"Content-Type": "application/json"}
        if headers:
            all_headers.update(headers)
        return self._request("POST", path, body=body, headers=all_headers)


class LambdaContext:
    """The context object with Lambda's python attribute names."""

    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context, identity, traceparent):
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        # A string, as on Lambda.
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.invoked_function_arn = invoked_function_arn
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = client_context
        self.identity = identity
        self.traceparent = traceparent
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))

    def __repr__(self):
        return (f"LambdaContext(aws_request_id={self.aws_request_id!r}, function_name={self.function_name!r}, "
                f"function_version={self.function_version!r})")


class LambdaFormatter(logging.Formatter):
    """Lambda's text format, one record per line: newlines in the message become '\\r'."""

    def __init__(self):
        super().__init__("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
                         "%Y-%m-%dT%H:%M:%S")
        self.converter = time.gmtime

    def format(self, record):
        record.aws_request_id = _current_request_id
        return super().format(record).replace("\r\n", "\r").replace("\n", "\r")


def setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(LambdaFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    # INFO by default (Lambda leaves Python's WARNING) so that logger.info() is visible without setup;
    # AWS_LAMBDA_LOG_LEVEL overrides it as on Lambda.
    root.setLevel(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO").upper())


def write_log_line(level, message):
    """Writes one record in Lambda's format regardless of how the function configured `logging`."""
    now = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z"
    text = message.rstrip("\n").replace("\r\n", "\r").replace("\n", "\r")
    sys.stdout.write(f"[{level}]\t{stamp}\t{_current_request_id}\t{text}\n")


def flush_output():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a closed or replaced stream must not fail the invocation
            pass


_BOOTSTRAP_FILE = os.path.abspath(__file__)
_IMPORTLIB_DIR = os.path.dirname(os.path.abspath(importlib.__file__))


def _is_bootstrap_frame(frame):
    return not frame.filename.startswith("<") and os.path.abspath(frame.filename) == _BOOTSTRAP_FILE


def _is_import_machinery_frame(frame):
    return frame.filename.startswith("<frozen importlib") or os.path.dirname(os.path.abspath(frame.filename)) == _IMPORTLIB_DIR


def function_frames(tb):
    """The traceback's frames without the runtime's own: this file's (which calls the handler), and the import
    machinery that loaded the handler's module. As on Lambda, a trace starts at the function's code."""
    frames = traceback.extract_tb(tb)
    start = 0
    while start < len(frames) and (_is_bootstrap_frame(frames[start]) or _is_import_machinery_frame(frames[start])):
        start += 1
    return traceback.StackSummary.from_list([frame for frame in frames[start:] if not _is_bootstrap_frame(frame)])


def error_body(exc, error_type=None):
    frames = function_frames(exc.__traceback__)
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": _current_request_id,
        "stackTrace": [line for line in traceback.format_list(frames)],
    }


def post_error(client, path, exc, error_type=None):
    body = error_body(exc, error_type)
    # The platform keeps stdout as the log; record the error there too, as Lambda does.
    trace = "".join(body["stackTrace"])
    write_log_line("ERROR", f"{body['errorType']}: {body['errorMessage']}\nTraceback (most recent call last):\n{trace}")
    flush_output()
    client.post(path, json.dumps(body).encode("utf-8"),
                {"Lambda-Runtime-Function-Error-Type": body["errorType"]})


def load_handler(name):
    """Imports `pkg.mod.func` (or `dir/mod.func`) from the task root; raises (error_type, exception) on failure."""
    module_name, _, func_name = name.rpartition(".")
    if not module_name or not func_name:
        raise InitFailure("Runtime.MalformedHandlerName", ValueError(f"Bad handler '{name}': expected 'module.function'"))
    module_name = module_name.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InitFailure("Runtime.ImportModuleError",
                          ImportError(f"Unable to import module '{module_name}': {exc}"), exc) from exc
    except SyntaxError as exc:
        raise InitFailure("Runtime.UserCodeSyntaxError", exc, exc) from exc
    handler = getattr(module, func_name, None)
    if handler is None:
        raise InitFailure("Runtime.HandlerNotFound",
                          AttributeError(f"Handler '{func_name}' missing on module '{module_name}'"))
    if not callable(handler):
        raise InitFailure("Runtime.HandlerNotFound", TypeError(f"Handler '{name}' is not callable"))
    return handler


class InitFailure(Exception):
    def __init__(self, error_type, error, cause=None):
        super().__init__(str(error))
        self.error_type = error_type
        self.error = error
        if cause is not None:
            self.error.__traceback__ = cause.__traceback__


def invoke(client, handler, headers, body):
    global _current_request_id
    request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
    _current_request_id = request_id
    trace_id = headers.get("Lambda-Runtime-Trace-Id")
    if trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    base = f"/invocation/{request_id}"

    try:
        event = json.loads(body) if body else {}
    except ValueError as exc:
        post_error(client, base + "/error", exc, "Runtime.UnmarshalError")
        return

    context = LambdaContext(
        request_id,
        int(headers.get("Lambda-Runtime-Deadline-Ms") or (time.time() * 1000 + 3000)),
        headers.get("Lambda-Runtime-Invoked-Function-Arn"),
        _parse_optional_json(headers.get("Lambda-Runtime-Client-Context")),
        _parse_optional_json(headers.get("Lambda-Runtime-Cognito-Identity")),
        headers.get("traceparent"))

    try:
        result = handler(event, context)
    except Exception as exc:
        post_error(client, base + "/error", exc)
        return

    try:
        payload = json.dumps(result).encode("utf-8")
    except (TypeError, ValueError) as exc:
        post_error(client, base + "/error", exc, "Runtime.MarshalError")
        return
    # Everything the handler printed must be on the pipe before the platform closes the invocation's log.
    flush_output()
    client.post(base + "/response", payload)


def _parse_optional_json(text):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def main():
    address = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not address:
        print("nimbus python runtime: AWS_LAMBDA_RUNTIME_API is not set", file=sys.stderr)
        return 1
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    os.chdir(task_root)
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    # Line-buffered output so that logs reach the platform while the invocation runs, not at exit.
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    setup_logging()
    client = RuntimeClient(address)

    try:
        try:
            handler = load_handler(os.environ.get("_HANDLER", ""))
        except InitFailure as failure:
            post_error(client, "/init/error", failure.error, failure.error_type)
            return 1
        except Exception as exc:  # the module raised while loading
            post_error(client, "/init/error", exc)
            return 1

        while True:
            status, headers, body = client.next()
            if status != 200:
                print(f"nimbus python runtime: next invocation answered {status}; exiting", file=sys.stderr)
                return 1
            invoke(client, handler, headers, body)
    except RuntimeApiGone as gone:
        print(f"nimbus python runtime: runtime API unreachable ({gone}); exiting", file=sys.stderr)
        flush_output()
        return 0


if __name__ == "__main__":
    sys.exit(main())
