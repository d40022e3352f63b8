"""Runs the Nimbus node and python runtime clients (and the bash custom-runtime fixture) against a stub
runtime API, as real processes. Run: python3 -m unittest discover -s runtimes/tests -v

The dotnet fixture is exercised too when NIMBUS_TEST_DOTNET=1 (it publishes tests/fixtures/behaviours-dotnet).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

from runtime_api_stub import RuntimeApiStub

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(REPO, "tests", "fixtures")
NODE_BOOTSTRAP = os.path.join(REPO, "runtimes", "node", "bootstrap.js")
PYTHON_BOOTSTRAP = os.path.join(REPO, "runtimes", "python", "bootstrap.py")

ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


class Worker:
    """One worker process with its stdout and stderr collected line by line."""

    def __init__(self, command, task_root, handler, stub, extra_env=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "_HANDLER", "LAMBDA_", "FAIL_INIT"))}
        env.update({
            "AWS_LAMBDA_RUNTIME_API": stub.address,
            "_HANDLER": handler,
            "LAMBDA_TASK_ROOT": task_root,
            "AWS_LAMBDA_FUNCTION_NAME": "fixture",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_LAMBDA_LOG_GROUP_NAME": "/nimbus/fixture",
            "AWS_LAMBDA_LOG_STREAM_NAME": "instance-1",
        })
        env.update(extra_env or {})
        self.stdout = []
        self.stderr = []
        self._process = subprocess.Popen(command, cwd=task_root, env=env, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE)
        self._readers = [self._drain(self._process.stdout, self.stdout), self._drain(self._process.stderr, self.stderr)]

    @staticmethod
    def _drain(stream, lines):
        def run():
            # Binary on purpose: text mode would split at the '\r' that runtimes put inside a record.
            for line in stream:
                lines.append(line.decode("utf-8").rstrip("\n"))
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def wait_exit(self, timeout=15):
        code = self._process.wait(timeout)
        for reader in self._readers:
            reader.join(5)
        self._process.stdout.close()
        self._process.stderr.close()
        return code

    def output_lines(self):
        """All stdout lines, once the worker is done writing (call after a response was posted)."""
        return list(self.stdout)

    def kill(self):
        if self._process.poll() is None:
            self._process.kill()
        self.wait_exit()


class BehavioursContract:
    """The behaviours every runtime's fixture must show; subclasses say how to start the worker."""

    error_type = None  # the errorType the runtime reports for the fixture's "throw"

    def start(self, stub, extra_env=None):
        raise NotImplementedError

    def message_of(self, line):
        """The message part of one log line the fixture wrote."""
        return line[line.index("line "):]

    def setUp(self):
        self.stub = RuntimeApiStub()
        self.worker = self.start(self.stub)

    def tearDown(self):
        self.worker.kill()
        self.stub.stop()

    def test_echo_returns_the_event(self):
        event = {"action": "echo", "nested": {"list": [1, 2, 3], "text": "h\u00e9llo \"q\""}}
        _, _, posted = self.stub.invoke(event)
        self.assertEqual(("response", event), (posted.kind, posted.json()))

    def test_one_process_serves_invocations_one_after_another(self):
        for i in range(3):
            _, _, posted = self.stub.invoke({"action": "echo", "i": i})
            self.assertEqual({"action": "echo", "i": i}, posted.json())

    def test_throw_posts_a_function_error(self):
        _, _, posted = self.stub.invoke({"action": "throw", "message": "boom"})
        self.assertEqual("error", posted.kind)
        body = posted.json()
        self.assertEqual("boom", body["errorMessage"])
        self.assertEqual(self.error_type, body["errorType"])
        self.assertIsInstance(body.get("stackTrace", []), list)
        self.assertEqual(self.error_type, posted.headers.get("Lambda-Runtime-Function-Error-Type"))
        # The instance survives a function error.
        _, _, after = self.stub.invoke({"action": "echo"})
        self.assertEqual("response", after.kind)

    def test_sleep_returns_after_sleeping(self):
        _, _, posted = self.stub.invoke({"action": "sleep", "ms": 50})
        self.assertEqual({"slept": 50}, posted.json())

    def test_crash_exits_with_the_code_without_answering(self):
        request_id, _ = self.stub.enqueue({"action": "crash", "code": 7})
        self.assertEqual(7, self.worker.wait_exit())
        self.assertRaises(TimeoutError, self.stub.wait_posted, request_id, 0.2)

    def test_alloc_holds_memory(self):
        self.stub.invoke({"action": "alloc", "mb": 4})
        _, _, posted = self.stub.invoke({"action": "alloc", "mb": 4})
        self.assertEqual({"allocatedMb": 4, "heldMb": 8}, posted.json())

    def test_log_writes_lines_naming_the_request(self):
        request_id, _, posted = self.stub.invoke({"action": "log", "count": 3})
        self.assertEqual({"logged": 3}, posted.json())
        lines = [l for l in self.worker.output_lines() if "of " + request_id in l]
        self.assertEqual([f"line {i} of {request_id}" for i in (1, 2, 3)], [self.message_of(l) for l in lines])

    def test_deadline_returns_the_remaining_milliseconds(self):
        _, _, posted = self.stub.invoke({"action": "deadline"}, timeout_ms=5000)
        remaining = posted.json()
        self.assertTrue(0 < remaining <= 5000, f"remaining {remaining}")

    def test_env_has_the_lambda_variables_and_the_trace_id(self):
        trace = "Root=1-5f84c7a1-abcdefabcdefabcdefabcdef;Parent=1234567890abcdef;Sampled=1"
        _, _, posted = self.stub.invoke({"action": "env"}, trace_id=trace)
        env = posted.json()
        self.assertEqual("fixture", env["AWS_LAMBDA_FUNCTION_NAME"])
        self.assertEqual("128", env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"])
        self.assertEqual(self.stub.address, env["AWS_LAMBDA_RUNTIME_API"])
        self.assertEqual(trace, env["_X_AMZN_TRACE_ID"])

    def test_exits_when_the_runtime_api_goes_away(self):
        self.stub.invoke({"action": "echo"})
        self.stub.stop()
        self.worker.wait_exit(timeout=15)


class NodeBehaviourTests(BehavioursContract, unittest.TestCase):
    error_type = "Error"

    def start(self, stub, extra_env=None):
        return Worker(["node", NODE_BOOTSTRAP], os.path.join(FIXTURES, "behaviours-node"), "index.handler", stub,
                      extra_env)

    def test_console_log_uses_lambda_node_format_with_request_id(self):
        request_id, _, _ = self.stub.invoke({"action": "log", "count": 1})
        line = next(l for l in self.worker.output_lines() if "line 1 of" in l)
        self.assertRegex(line, f"^{ISO}\t{re.escape(request_id)}\tINFO\tline 1 of {re.escape(request_id)}$")


class PythonBehaviourTests(BehavioursContract, unittest.TestCase):
    error_type = "Exception"

    def start(self, stub, extra_env=None):
        return Worker([sys.executable, PYTHON_BOOTSTRAP], os.path.join(FIXTURES, "behaviours-python"),
                      "handler.handler", stub, extra_env)


class ProvidedBehaviourTests(BehavioursContract, unittest.TestCase):
    error_type = "Error"

    def start(self, stub, extra_env=None):
        root = os.path.join(FIXTURES, "behaviours-provided")
        return Worker([os.path.join(root, "bootstrap")], root, "", stub, extra_env)


_dotnet_out = None


@unittest.skipUnless(os.environ.get("NIMBUS_TEST_DOTNET") == "1", "set NIMBUS_TEST_DOTNET=1 to publish and run it")
class DotnetBehaviourTests(BehavioursContract, unittest.TestCase):
    error_type = "System.InvalidOperationException"

    @classmethod
    def setUpClass(cls):
        global _dotnet_out
        if _dotnet_out is None:
            _dotnet_out = os.environ.get("NIMBUS_TEST_DOTNET_OUT") or tempfile.mkdtemp(prefix="behaviours-dotnet-")
            subprocess.run(["dotnet", "publish", os.path.join(FIXTURES, "behaviours-dotnet"), "-c", "Release",
                            "-o", _dotnet_out], check=True, stdout=subprocess.DEVNULL)

    def start(self, stub, extra_env=None):
        return Worker(["dotnet", os.path.join(_dotnet_out, "BehavioursDotnet.dll")], _dotnet_out,
                      "BehavioursDotnet", stub, extra_env)

    def message_of(self, line):
        record = json.loads(line)  # the SDK's structured logger writes JSON lines
        self.assertEqual("INFO", record["level"])
        self.assertTrue(record["message"].endswith(" of " + record["requestId"]), record)
        return record["message"]

    def test_init_failure_posts_init_error_and_exits_non_zero(self):
        self.worker.kill()
        worker = self.worker = self.start(self.stub, {"FAIL_INIT": "1"})
        error = self.stub.wait_init_error().json()
        self.assertEqual("System.InvalidOperationException", error["errorType"])
        self.assertNotEqual(0, worker.wait_exit())


class TaskRootTests(unittest.TestCase):
    """Runtime behaviour that needs its own small handler files."""

    def setUp(self):
        self.stub = RuntimeApiStub()
        self.root = tempfile.mkdtemp(prefix="nimbus-runtime-test-")
        self.workers = []

    def tearDown(self):
        for worker in self.workers:
            worker.kill()
        self.stub.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def write(self, relative, text):
        path = os.path.join(self.root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def node(self, handler, extra_env=None):
        worker = Worker(["node", NODE_BOOTSTRAP], self.root, handler, self.stub, extra_env)
        self.workers.append(worker)
        return worker

    def python(self, handler, extra_env=None):
        worker = Worker([sys.executable, PYTHON_BOOTSTRAP], self.root, handler, self.stub, extra_env)
        self.workers.append(worker)
        return worker

    # ---- node

    def test_node_init_failure_posts_init_error_and_exits_non_zero(self):
        worker = Worker(["node", NODE_BOOTSTRAP], os.path.join(FIXTURES, "behaviours-node"), "index.handler",
                        self.stub, {"FAIL_INIT": "1"})
        self.workers.append(worker)
        error = self.stub.wait_init_error().json()
        self.assertEqual("Error", error["errorType"])
        self.assertIn("FAIL_INIT", error["errorMessage"])
        self.assertNotEqual(0, worker.wait_exit())
        self.assertEqual(0, self.stub.next_calls)

    def test_node_missing_module_is_an_import_module_error(self):
        worker = self.node("nope.handler")
        self.assertEqual("Runtime.ImportModuleError", self.stub.wait_init_error().json()["errorType"])
        self.assertEqual(1, worker.wait_exit())

    def test_node_missing_export_is_handler_not_found(self):
        self.write("index.js", "exports.other = async () => 1;\n")
        worker = self.node("index.handler")
        self.assertEqual("Runtime.HandlerNotFound", self.stub.wait_init_error().json()["errorType"])
        self.assertEqual(1, worker.wait_exit())

    def test_node_syntax_error_is_reported(self):
        self.write("index.js", "exports.handler = async () => {\n")
        self.node("index.handler")
        self.assertEqual("Runtime.UserCodeSyntaxError", self.stub.wait_init_error().json()["errorType"])

    def test_node_callback_handler_in_subdirectory(self):
        self.write("lib/fn.js", "exports.run = (event, context, callback) => {\n"
                                "  setTimeout(() => callback(null, { got: event.x, id: context.awsRequestId }), 10);\n"
                                "};\n")
        self.node("lib/fn.run")
        request_id, _, posted = self.stub.invoke({"x": 42})
        self.assertEqual({"got": 42, "id": request_id}, posted.json())

    def test_node_callback_waits_for_empty_event_loop_by_default(self):
        self.write("index.js", "let n = 0;\n"
                               "exports.handler = (event, context, callback) => {\n"
                               "  callback(null, 'answered');\n"
                               "  setTimeout(() => { n++; console.log('timer ran ' + n); }, 100);\n"
                               "};\n")
        worker = self.node("index.handler")
        request_id, _, posted = self.stub.invoke({})
        self.assertEqual("answered", posted.json())
        self.assertTrue(any(l.endswith("timer ran 1") and request_id in l for l in worker.output_lines()),
                        worker.output_lines())

    def test_node_callback_error_is_a_function_error(self):
        self.write("index.js", "class OrderError extends Error { constructor(m) { super(m); this.name = 'OrderError'; } }\n"
                               "exports.handler = (event, context, callback) => callback(new OrderError('bad order'));\n")
        self.node("index.handler")
        _, _, posted = self.stub.invoke({})
        self.assertEqual(("error", "OrderError", "bad order"),
                         (posted.kind, posted.json()["errorType"], posted.json()["errorMessage"]))
        self.assertTrue(posted.json()["stackTrace"][0].startswith("at "))

    def test_node_esm_module(self):
        self.write("app.mjs", "export const handler = async (event) => ({ esm: true, event });\n")
        self.node("app.handler")
        _, _, posted = self.stub.invoke({"a": 1})
        self.assertEqual({"esm": True, "event": {"a": 1}}, posted.json())

    def test_node_esm_package_type_module(self):
        self.write("package.json", '{"type":"module"}')
        self.write("index.js", "export async function handler() { return typeof require; }\n")
        self.node("index.handler")
        _, _, posted = self.stub.invoke({})
        self.assertEqual("undefined", posted.json())

    def test_node_undefined_result_is_null(self):
        self.write("index.js", "exports.handler = async () => {};\n")
        self.node("index.handler")
        _, _, posted = self.stub.invoke({})
        self.assertEqual(("response", "null"), (posted.kind, posted.body))

    def test_node_context_fields(self):
        self.write("index.js", "exports.handler = async (e, c) => ({ id: c.awsRequestId, name: c.functionName,\n"
                               "  version: c.functionVersion, mem: c.memoryLimitInMB, arn: c.invokedFunctionArn,\n"
                               "  group: c.logGroupName, stream: c.logStreamName, waits: c.callbackWaitsForEmptyEventLoop,\n"
                               "  remaining: c.getRemainingTimeInMillis() });\n")
        self.node("index.handler")
        request_id, headers, posted = self.stub.invoke({}, timeout_ms=4000)
        ctx = posted.json()
        self.assertEqual(request_id, ctx["id"])
        self.assertEqual(("fixture", "$LATEST", "128"), (ctx["name"], ctx["version"], ctx["mem"]))
        self.assertEqual(headers["Lambda-Runtime-Invoked-Function-Arn"], ctx["arn"])
        self.assertEqual(("/nimbus/fixture", "instance-1", True), (ctx["group"], ctx["stream"], ctx["waits"]))
        self.assertTrue(0 < ctx["remaining"] <= 4000)

    def test_node_multiline_messages_stay_on_one_line(self):
        self.write("index.js", "exports.handler = async () => { console.error('first\\nsecond'); console.warn({ a: 1 });"
                               " return 1; };\n")
        worker = self.node("index.handler")
        request_id, _, _ = self.stub.invoke({})
        lines = [l for l in worker.output_lines() if request_id in l]
        self.assertIn(f"\t{request_id}\tERROR\tfirst\rsecond", "\n".join(lines))
        self.assertIn(f"\t{request_id}\tWARN\t{{ a: 1 }}", "\n".join(lines))

    def test_node_uncaught_exception_during_invocation_is_reported_and_exits(self):
        self.write("index.js", "exports.handler = () => new Promise(() => {"
                               " setTimeout(() => { throw new TypeError('late'); }, 10); });\n")
        worker = self.node("index.handler")
        _, _, posted = self.stub.invoke({})
        self.assertEqual(("error", "TypeError"), (posted.kind, posted.json()["errorType"]))
        self.assertNotEqual(0, worker.wait_exit())

    # ---- python

    def test_python_init_failure_posts_init_error_and_exits_non_zero(self):
        worker = Worker([sys.executable, PYTHON_BOOTSTRAP], os.path.join(FIXTURES, "behaviours-python"),
                        "handler.handler", self.stub, {"FAIL_INIT": "1"})
        self.workers.append(worker)
        error = self.stub.wait_init_error().json()
        self.assertEqual("RuntimeError", error["errorType"])
        self.assertIn("FAIL_INIT", error["errorMessage"])
        self.assertNotEqual(0, worker.wait_exit())
        self.assertEqual(0, self.stub.next_calls)

    def test_python_missing_module_is_an_import_module_error(self):
        worker = self.python("nope.handler")
        self.assertEqual("Runtime.ImportModuleError", self.stub.wait_init_error().json()["errorType"])
        self.assertEqual(1, worker.wait_exit())

    def test_python_missing_function_is_handler_not_found(self):
        self.write("app.py", "def other(event, context):\n    return 1\n")
        self.python("app.handler")
        self.assertEqual("Runtime.HandlerNotFound", self.stub.wait_init_error().json()["errorType"])

    def test_python_syntax_error_is_reported(self):
        self.write("app.py", "def handler(event, context)\n    return 1\n")
        self.python("app.handler")
        self.assertEqual("Runtime.UserCodeSyntaxError", self.stub.wait_init_error().json()["errorType"])

    def test_python_dotted_module_and_context(self):
        self.write("pkg/__init__.py", "")
        self.write("pkg/mod.py", "def handler(event, context):\n"
                                 "    return {'id': context.aws_request_id, 'name': context.function_name,\n"
                                 "            'version': context.function_version, 'mem': context.memory_limit_in_mb,\n"
                                 "            'arn': context.invoked_function_arn, 'group': context.log_group_name,\n"
                                 "            'stream': context.log_stream_name,\n"
                                 "            'remaining': context.get_remaining_time_in_millis(), 'event': event}\n")
        self.python("pkg.mod.handler")
        request_id, headers, posted = self.stub.invoke({"k": "v"}, timeout_ms=4000)
        ctx = posted.json()
        self.assertEqual((request_id, "fixture", "$LATEST", "128"),
                         (ctx["id"], ctx["name"], ctx["version"], ctx["mem"]))
        self.assertEqual(headers["Lambda-Runtime-Invoked-Function-Arn"], ctx["arn"])
        self.assertEqual(("/nimbus/fixture", "instance-1"), (ctx["group"], ctx["stream"]))
        self.assertTrue(0 < ctx["remaining"] <= 4000)
        self.assertEqual({"k": "v"}, ctx["event"])

    def test_python_logging_uses_lambda_format_and_stdout_is_flushed_before_the_response(self):
        self.write("app.py", "import logging\nlogger = logging.getLogger()\n"
                             "def handler(event, context):\n"
                             "    logger.info('hello\\nworld')\n"
                             "    logger.warning('careful')\n"
                             "    print('plain', end='')\n"
                             "    return None\n")
        worker = self.python("app.handler")
        request_id, _, posted = self.stub.invoke({})
        self.assertEqual(("response", "null"), (posted.kind, posted.body))
        lines = worker.output_lines()
        self.assertTrue(any(re.fullmatch(rf"\[INFO\]\t{ISO}\t{re.escape(request_id)}\thello\rworld", l) for l in lines),
                        lines)
        self.assertTrue(any(re.fullmatch(rf"\[WARNING\]\t{ISO}\t{re.escape(request_id)}\tcareful", l) for l in lines),
                        lines)
        # print() without a newline is still flushed once the response was posted (read after the next write).
        self.stub.invoke({})
        self.assertIn("plain", "".join(worker.output_lines()))

    def test_python_unserializable_result_is_a_marshal_error(self):
        self.write("app.py", "def handler(event, context):\n    return object()\n")
        self.python("app.handler")
        _, _, posted = self.stub.invoke({})
        self.assertEqual(("error", "Runtime.MarshalError"), (posted.kind, posted.json()["errorType"]))

    def test_python_error_has_class_name_and_traceback(self):
        self.write("app.py", "class OrderError(Exception):\n    pass\n"
                             "def handler(event, context):\n    raise OrderError('bad order')\n")
        self.python("app.handler")
        _, _, posted = self.stub.invoke({})
        body = posted.json()
        self.assertEqual(("OrderError", "bad order"), (body["errorType"], body["errorMessage"]))
        self.assertTrue(any("app.py" in frame for frame in body["stackTrace"]), body["stackTrace"])


if __name__ == "__main__":
    unittest.main()
