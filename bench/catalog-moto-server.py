# moto_server for the s3-versions benchmark: the bucket is filled through moto's own backend (100,000
# PUTs over HTTP take many minutes), and ListObjectVersions pages are served from one sorted list
# (bench/moto_fast_listing.py).
# Usage: python3 bench/catalog-moto-server.py PORT VERSIONS KEYS BUCKET PREFIX   (prints "READY")
import logging
import sys

from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends
from moto.server import ThreadedMotoServer

import moto_fast_listing  # bench/moto_fast_listing.py, next to this file

port, versions, keys, bucket_name, prefix = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
moto_fast_listing.install()
backend = s3_backends[DEFAULT_ACCOUNT_ID]["global"]
backend.create_bucket(bucket_name, "us-east-1")
backend.put_bucket_versioning(bucket_name, "Enabled")
for i in range(versions):
    backend.put_object(bucket_name, f"{prefix}{i % keys:06d}.png", f"version {i}".encode())

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
print("READY", flush=True)
sys.stdin.read()  # run until the benchmark closes our stdin
server.stop()
