# moto_server for the S3 restore benchmark. Each bucket gets the same OBJECTS keys with three
# versions (1 KiB-1 MiB, log-uniform, seeded): v1 at BASE, v2 at BASE+1h, v3 at BASE+2h; the
# instant T is BASE+90min, so every key's version at T is v2 and its current v3 differs.
# Filled through moto's own backend (120,000 PUTs over HTTP take many minutes). Two changes to
# stock moto, the same for the restore and the baseline loop: values are held by reference (a
# copy shares its source's bytes instead of copying them into a new buffer, so four buckets of
# ~4.4 GB fit in memory once), and ListObjectVersions pages come from one sorted list per prefix
# (stock moto deep-copies and sorts every version of the bucket for every page) written as XML
# directly (moto's generic serializer takes ~2 ms per version; DAPPLE_BENCH_STOCK_LISTING=1 keeps it).
# Usage: python3 bench/s3-restore-moto-server.py PORT OBJECTS BUCKETS PREFIX SEED
#        prints "READY <T as ISO 8601>"; runs until stdin closes.
import datetime
import hashlib
import logging
import math
import os
import random
import sys

from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import FakeDeleteMarker, FakeKey, s3_backends
from moto.s3.responses import S3Response
from moto.server import ThreadedMotoServer

import moto_fast_listing  # bench/moto_fast_listing.py, next to this file
from xml.sax.saxutils import escape

port, objects, buckets, prefix, seed = (
    int(sys.argv[1]),
    int(sys.argv[2]),
    int(sys.argv[3]),
    sys.argv[4],
    int(sys.argv[5]),
)


def _get_value(self):
    return self.__dict__.get("_bench_value", b"")


def _set_value(self, value):
    if isinstance(value, str):
        value = value.encode()
    self.__dict__["_bench_value"] = value
    self.contentsize = len(value)


def _etag(self):
    if self._etag is None:
        self._etag = hashlib.md5(self.value).hexdigest()
    return f'"{self._etag}"'


FakeKey.value = property(_get_value, _set_value)
FakeKey.etag = property(_etag)

moto_fast_listing.install()

OWNER = "<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner>"


def fast_list_response(self):
    # moto's generic serializer spends ~2 ms per version (3.4 s for 1,500 versions on this
    # machine), while a copy costs ~20 ms: listing would weigh several times what it does on S3.
    # The same elements, written directly; DAPPLE_BENCH_STOCK_LISTING=1 keeps stock moto's writer.
    # The benchmark checks every restored prefix against the instant afterwards.
    query = self._get_querystring(self.request, self.uri)
    prefix = query.get("prefix", [""])[0]
    key_marker = self.querystring.get("key-marker", [None])[0]
    version_marker = self.querystring.get("version-id-marker", [None])[0]
    max_keys = int(self.querystring.get("max-keys", [1000])[0])
    versions, _, markers, next_key, next_version = self.backend.list_object_versions(
        self.bucket_name, key_marker=key_marker, max_keys=max_keys, prefix=prefix, version_id_marker=version_marker
    )
    items = sorted(versions + markers, key=lambda r: (r.name, -r.item.last_modified.timestamp()))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
        f"<Name>{escape(self.bucket_name)}</Name><Prefix>{escape(prefix)}</Prefix>",
        f"<KeyMarker>{escape(key_marker or '')}</KeyMarker><VersionIdMarker>{escape(version_marker or '')}</VersionIdMarker>",
        f"<MaxKeys>{max_keys}</MaxKeys><IsTruncated>{'true' if next_key else 'false'}</IsTruncated>",
    ]
    if next_key:
        out.append(f"<NextKeyMarker>{escape(next_key)}</NextKeyMarker><NextVersionIdMarker>{next_version}</NextVersionIdMarker>")
    for v in items:
        head = f"<Key>{escape(v.name)}</Key><VersionId>{v.item.version_id}</VersionId><IsLatest>{'true' if v.is_latest else 'false'}</IsLatest><LastModified>{v.item.last_modified_ISO8601}</LastModified>"
        if isinstance(v.item, FakeDeleteMarker):
            out.append(f"<DeleteMarker>{head}{OWNER}</DeleteMarker>")
        else:
            out.append(f"<Version>{head}<ETag>{escape(v.item.etag)}</ETag><Size>{v.item.size}</Size><StorageClass>{v.item.storage_class}</StorageClass>{OWNER}</Version>")
    out.append("</ListVersionsResult>")
    return 200, {"Content-Type": "application/xml"}, "".join(out)


if os.environ.get("DAPPLE_BENCH_STOCK_LISTING") != "1":
    S3Response.list_object_versions = fast_list_response

rng = random.Random(seed)
base = datetime.datetime(2026, 11, 1, 0, 0, 0)
at = base + datetime.timedelta(minutes=90)
# The bytes of every version, made once and shared by all buckets (held by reference).
payloads = []
for i in range(objects):
    versions = []
    for _ in range(3):
        size = int(math.exp(rng.uniform(math.log(1024), math.log(1024 * 1024))))
        body = os.urandom(size)
        versions.append((body, hashlib.md5(body).hexdigest()))
    payloads.append(versions)

backend = s3_backends[DEFAULT_ACCOUNT_ID]["global"]
for b in range(buckets):
    name = f"bench-{b}"
    backend.create_bucket(name, "us-east-1")
    backend.put_bucket_versioning(name, "Enabled")
    for i, versions in enumerate(payloads):
        key = f"{prefix}{i:06d}.bin"
        for v, (body, md5) in enumerate(versions):
            made = backend.put_object(name, key, body)
            made.last_modified = base + datetime.timedelta(hours=v)
            # Stock moto computes an ETag on first use: done here, so no timed listing pays it.
            made._etag = md5

logging.getLogger("werkzeug").setLevel(logging.ERROR)
server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
total = sum(len(body) for vs in payloads for body, _ in vs)
print(f"READY {at.isoformat()}Z {total}", flush=True)
sys.stdin.read()
server.stop()
