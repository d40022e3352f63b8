"""Runs the example functions under examples/ against the stub runtime API, as a user's first deploy would.
The dotnet example runs too when NIMBUS_TEST_DOTNET=1 (it is published first)."""

import base64
import json
import os
import subprocess
import sys
import tempfile
import unittest

from runtime_api_stub import RuntimeApiStub
from test_runtimes import NODE_BOOTSTRAP, PYTHON_BOOTSTRAP, REPO, Worker

EXAMPLES = os.path.join(REPO, "examples")


def http_event(route_key, path, body=None, path_parameters=None, base64_body=False):
    method = route_key.split(" ", 1)[0]
    if body is not None and base64_body:
        body = base64.b64encode(body.encode("utf-8")).decode("ascii")
    return {
        "version": "2.0", "routeKey": route_key, "rawPath": path, "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {"http": {"method": method, "path": path}, "requestId": "r", "routeKey": route_key,
                           "stage": "$default"},
        "pathParameters": path_parameters, "body": body, "isBase64Encoded": base64_body,
    }


class ExampleTests(unittest.TestCase):
    def setUp(self):
        self.stub = RuntimeApiStub()
        self.worker = None

    def tearDown(self):
        if self.worker:
            self.worker.kill()
        self.stub.stop()

    def run_example(self, command, name, handler):
        self.worker = Worker(command, os.path.join(EXAMPLES, name), handler, self.stub, {"GREETING": "Hi"})

    def test_hello_node(self):
        self.run_example(["node", NODE_BOOTSTRAP], "hello-node", "index.handler")
        request_id, _, posted = self.stub.invoke({"name": "Ada"})
        self.assertEqual({"message": "Hi, Ada!", "requestId": request_id}, posted.json())

    def test_hello_python(self):
        self.run_example([sys.executable, PYTHON_BOOTSTRAP], "hello-python", "handler.handler")
        request_id, _, posted = self.stub.invoke({"name": "Ada"})
        self.assertEqual({"message": "Hi, Ada!", "requestId": request_id}, posted.json())
        self.assertTrue(any(l.startswith("[INFO]\t") and l.endswith(f"\t{request_id}\tgreeting Ada")
                            for l in self.worker.output_lines()), self.worker.output_lines())

    def test_hello_provided(self):
        root = os.path.join(EXAMPLES, "hello-provided")
        self.run_example([os.path.join(root, "bootstrap")], "hello-provided", "function.handler")
        _, _, posted = self.stub.invoke({"name": "Ada"})
        self.assertEqual({"message": "Hello from bash", "event": {"name": "Ada"}}, posted.json())

    @unittest.skipUnless(os.environ.get("NIMBUS_TEST_DOTNET") == "1", "set NIMBUS_TEST_DOTNET=1 to publish and run it")
    def test_hello_dotnet(self):
        out = tempfile.mkdtemp(prefix="hello-dotnet-")
        subprocess.run(["dotnet", "publish", os.path.join(EXAMPLES, "hello-dotnet"), "-c", "Release", "-o", out],
                       check=True, stdout=subprocess.DEVNULL)
        self.worker = Worker(["dotnet", os.path.join(out, "HelloDotnet.dll")], out, "HelloDotnet", self.stub,
                             {"GREETING": "Hi"})
        request_id, _, posted = self.stub.invoke({"Name": "Ada"})
        self.assertEqual({"message": "Hi, Ada!", "requestId": request_id}, posted.json())
        self.assertTrue(any('"message":"greeting"' in l and '"name":"Ada"' in l and request_id in l
                            for l in self.worker.output_lines()), self.worker.output_lines())

    def test_orders_api(self):
        self.run_example(["node", NODE_BOOTSTRAP], "orders", "index.handler")

        _, _, empty = self.stub.invoke(http_event("GET /orders", "/orders"))
        self.assertEqual(200, empty.json()["statusCode"])
        self.assertEqual('{"orders":[]}', empty.json()["body"])

        _, _, created = self.stub.invoke(http_event("POST /orders", "/orders", '{"item":"tea","quantity":2}',
                                                    base64_body=True))
        answer = created.json()
        self.assertEqual(201, answer["statusCode"])
        order = json.loads(answer["body"])
        self.assertEqual(("tea", 2), (order["item"], order["quantity"]))
        self.assertEqual(f"/orders/{order['id']}", answer["headers"]["location"])

        _, _, fetched = self.stub.invoke(http_event("GET /orders/{id}", f"/orders/{order['id']}",
                                                    path_parameters={"id": order["id"]}))
        self.assertEqual((200, order), (fetched.json()["statusCode"], json.loads(fetched.json()["body"])))

        _, _, listed = self.stub.invoke(http_event("GET /orders", "/orders"))
        self.assertEqual([order], json.loads(listed.json()["body"])["orders"])

        _, _, missing = self.stub.invoke(http_event("GET /orders/{id}", "/orders/nope", path_parameters={"id": "nope"}))
        self.assertEqual(404, missing.json()["statusCode"])

        for bad in ("not json", '{"item":"tea","quantity":0}', '{"quantity":1}', "[1]"):
            _, _, rejected = self.stub.invoke(http_event("POST /orders", "/orders", bad))
            self.assertEqual(400, rejected.json()["statusCode"], bad)


if __name__ == "__main__":
    unittest.main()
