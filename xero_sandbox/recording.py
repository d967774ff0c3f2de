"""What the fake saw: one ``RecordedRequest`` per HTTP request, kept for test assertions and
for validating the client's requests against Xero's OpenAPI description (``spec.py``)."""
import json
import threading


class CIHeaders:
    """Header lookup that ignores case, as HTTP does (``rec.headers["xero-tenant-id"]``)."""

    def __init__(self, pairs=()):
        self._items = list(pairs)

    def get(self, name, default=None):
        low = name.lower()
        for k, v in self._items:
            if k.lower() == low:
                return v
        return default

    def __getitem__(self, name):
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name):
        return self.get(name) is not None

    def items(self):
        return list(self._items)

    def keys(self):
        return [k for k, _ in self._items]

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return "CIHeaders(%r)" % (self._items,)


class RecordedRequest:
    def __init__(self, method, path, query, headers, body, at):
        self.method = method
        self.path = path            # without the query string, as sent (case kept)
        self.query = query          # dict of lists, like urllib.parse.parse_qs
        self.headers = headers      # CIHeaders
        self.body = body            # bytes
        self.at = at                # clock time of arrival
        self.status = None          # status sent; None when the socket was dropped unanswered
        self.fault = None           # kind of injected fault that hit this request, if any
        self.response_body = b""

    @property
    def json(self):
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def response_json(self):
        try:
            return json.loads(self.response_body) if self.response_body else None
        except ValueError:
            return None

    def __repr__(self):
        return "<%s %s -> %s%s>" % (self.method, self.path, self.status,
                                    " fault=%s" % self.fault if self.fault else "")


def path_matches(path, prefix):
    """Case-insensitive prefix match; a prefix without the API base (``/Contacts``) also
    matches API paths, so tests can say ``fx.calls("/Contacts")``."""
    if prefix is None:
        return True
    p, pre = path.lower(), prefix.lower()
    if p.startswith(pre):
        return True
    base = "/api.xro/2.0"
    return p.startswith(base) and not pre.startswith(base) and p[len(base):].startswith(pre)


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = []

    def add(self, rec):
        with self._lock:
            self._items.append(rec)

    def snapshot(self):
        with self._lock:
            return list(self._items)

    def clear(self):
        with self._lock:
            self._items.clear()

    def count(self, path_prefix=None, method=None):
        return sum(1 for r in self.snapshot()
                   if path_matches(r.path, path_prefix)
                   and (method is None or r.method.upper() == method.upper()))
