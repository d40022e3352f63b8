"""Says hello. Runs unchanged on AWS Lambda's python runtime too."""

import logging
import os

logger = logging.getLogger(__name__)
GREETING = os.environ.get("GREETING", "Hello")


def handler(event, context):
    name = ((event or {}).get("name") or "world").strip() or "world"
    logger.info("greeting %s", name)
    return {"message": f"{GREETING}, {name}!", "requestId": context.aws_request_id}
