# ListObjectVersions pages for the benchmarks' moto_server, served from one sorted list per prefix.
# Stock moto deep-copies and re-sorts every version of the bucket for every page (O(n^2) over a
# listing: hours at 100,000 versions); the answers here are the same pages, built once.
# Used by bench/catalog-moto-server.py and bench/s3-restore-moto-server.py: install() patches moto.
import bisect

from moto.s3.models import FakeDeleteMarker, S3Backend

stock_list = S3Backend.list_object_versions


class View:
    """A version as one listing sees it: its own is_latest, everything else read from the key."""

    __slots__ = ("item", "is_latest", "name")

    def __init__(self, item):
        self.item = item
        self.name = item.name
        self.is_latest = False

    def __getattr__(self, attr):
        return getattr(self.item, attr)


sorted_cache = {}


def fast_list(self, bucket_name, delimiter=None, key_marker=None, max_keys=1000, prefix="", version_id_marker=None):
    if delimiter:
        return stock_list(self, bucket_name, delimiter, key_marker, max_keys, prefix, version_id_marker)
    bucket = self.get_bucket(bucket_name)
    count = sum(len(v) for _, v in bucket.keys.iterlists())
    cached = sorted_cache.get((bucket_name, prefix))
    if cached is None or cached[0] != count:
        # The same order and is_latest flags as stock moto: by name, newest first within a name.
        items = [View(v) for k, vs in bucket.keys.iterlists() if k.startswith(prefix) for v in vs]
        items.sort(key=lambda r: (r.name, -r.item.last_modified.timestamp()))
        last = None
        for item in items:
            item.is_latest = item.name != last
            last = item.name
        where = {(item.name, item.item.version_id): i for i, item in enumerate(items)}
        names = [item.name for item in items]
        cached = (count, items, where, names)
        sorted_cache[(bucket_name, prefix)] = cached
    _, items, where, names = cached
    if key_marker is None:
        start = 0
    elif version_id_marker:
        start = where.get((key_marker, version_id_marker), -1) + 1
    else:
        start = bisect.bisect_right(names, key_marker)
    page = items[start : start + (max_keys or 1000)]
    truncated = start + len(page) < len(items)
    found = [v for v in page if not isinstance(v.item, FakeDeleteMarker)]
    markers = [v for v in page if isinstance(v.item, FakeDeleteMarker)]
    next_key = page[-1].name if truncated and page else None
    next_version = page[-1].item.version_id if truncated and page else None
    return found, [], markers, next_key, next_version


def install():
    S3Backend.list_object_versions = fast_list
