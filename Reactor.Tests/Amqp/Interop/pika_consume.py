"""Gets one message from a queue with pika and prints a JSON description of its body, properties and headers.

Usage: pika_consume.py PORT VHOST QUEUE   (run with the system python3, which has python3-pika)
Each header value is described as {"t": python type, "v": value}: bytes as hex, Decimal and datetime as strings.
"""
import datetime
import decimal
import json
import sys

import pika


def describe(value):
    if value is None:
        return {"t": "none", "v": None}
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": value}
    if isinstance(value, float):
        return {"t": "float", "v": value}
    if isinstance(value, str):
        return {"t": "str", "v": value}
    if isinstance(value, bytes):
        return {"t": "bytes", "v": value.hex()}
    if isinstance(value, decimal.Decimal):
        return {"t": "decimal", "v": str(value)}
    if isinstance(value, datetime.datetime):
        return {"t": "datetime", "v": value.isoformat()}
    if isinstance(value, dict):
        return {"t": "dict", "v": {k: describe(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"t": "list", "v": [describe(v) for v in value]}
    return {"t": type(value).__name__, "v": repr(value)}


port, vhost, queue = int(sys.argv[1]), sys.argv[2], sys.argv[3]
connection = pika.BlockingConnection(pika.ConnectionParameters(
    host="127.0.0.1", port=port, virtual_host=vhost, credentials=pika.PlainCredentials("guest", "guest")))
channel = connection.channel()
method, properties, body = channel.basic_get(queue=queue, auto_ack=True)
if method is None:
    print(json.dumps({"empty": True}))
    sys.exit(1)
names = ["content_type", "content_encoding", "delivery_mode", "priority", "correlation_id", "reply_to", "expiration",
         "message_id", "timestamp", "type", "user_id", "app_id", "cluster_id"]
description = {name: getattr(properties, name) for name in names}
description["headers"] = {k: describe(v) for k, v in (properties.headers or {}).items()}
description["header_order"] = list((properties.headers or {}).keys())
description["body"] = body.hex()
print(json.dumps(description))
connection.close()
