"""Publishes one message with every basic property and a headers table of every type pika can encode.

Usage: pika_publish.py PORT VHOST QUEUE   (run with the system python3, which has python3-pika)
pika 1.x encodes str as 'S', bytes as 'x', bool as 't', an int as 'I' (or 'l' beyond 32 bits), Decimal as 'D', datetime as 'T', dict as
'F', list as 'A' and None as 'V'; it cannot encode floats.
"""
import datetime
import decimal
import sys

import pika

port, vhost, queue = int(sys.argv[1]), sys.argv[2], sys.argv[3]
connection = pika.BlockingConnection(pika.ConnectionParameters(
    host="127.0.0.1", port=port, virtual_host=vhost, credentials=pika.PlainCredentials("guest", "guest")))
channel = connection.channel()
channel.queue_declare(queue=queue)
channel.confirm_delivery()
headers = {
    "str": "h\u00e9llo w\u00f6rld \u2603",
    "bytes": b"\x00\x01\xfe\xff",
    "int": 42,
    "negative": -7,
    "big": 2 ** 40,
    "true": True,
    "false": False,
    "decimal": decimal.Decimal("3.14"),
    "decimal_whole": decimal.Decimal("1000"),
    "datetime": datetime.datetime(2026, 12, 5, 1, 2, 3),
    "dict": {"a": 1, "nested": {"b": "c"}},
    "list": [1, "two", True, None, [3]],
    "none": None,
}
properties = pika.BasicProperties(
    content_type="application/json",
    content_encoding="utf-8",
    headers=headers,
    delivery_mode=2,
    priority=5,
    correlation_id="corr-1",
    reply_to="reply-queue",
    expiration="600000",
    message_id="msg-1",
    timestamp=1764896523,
    type="interop.test",
    user_id="guest",
    app_id="pika-interop",
    cluster_id="cluster-x",
)
channel.basic_publish(exchange="", routing_key=queue, body='{"from":"pika"}'.encode(), properties=properties, mandatory=True)
connection.close()
print("published")
