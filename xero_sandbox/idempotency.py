"""Idempotency-Key on PUT/POST, as Xero documents it: a retry carrying the key of an earlier
request within 24 hours gets the earlier answer (same status, same body) and writes nothing.

The key is scoped to the tenant. A retry must be the same request (method, path, query,
body); the same key on a different request is refused with 400, since replaying the other
request's answer would silently lose this one. A retry that arrives while the first request
is still running waits for it and then replays its answer.
"""
import hashlib
import threading

TTL = 86400.0
MAX_KEY_LENGTH = 128


class _Entry:
    def __init__(self, fingerprint, at):
        self.fingerprint = fingerprint
        self.at = at
        self.done = threading.Event()
        self.answer = None          # (status, body bytes, content type)


def fingerprint(method, path, query, body):
    h = hashlib.sha256()
    h.update(method.upper().encode())
    h.update(path.lower().encode())
    h.update(repr(sorted((k.lower(), v) for k, v in query.items())).encode())
    h.update(body or b"")
    return h.hexdigest()


class IdempotencyStore:
    def __init__(self, clock):
        self.clock = clock
        self._lock = threading.Lock()
        self._entries = {}

    def begin(self, tenant_id, key, fp):
        """("new", entry): run the request and call ``finish``/``abandon``;
        ("replay", answer): send the stored answer; ("conflict", None): key reused."""
        while True:
            with self._lock:
                now = self.clock.now()
                for k in [k for k, e in self._entries.items() if e.at <= now - TTL]:
                    del self._entries[k]
                entry = self._entries.get((tenant_id, key))
                if entry is None:
                    entry = self._entries[(tenant_id, key)] = _Entry(fp, now)
                    return "new", entry
            if entry.fingerprint != fp:
                return "conflict", None
            entry.done.wait(timeout=60)
            if entry.answer is not None:
                return "replay", entry.answer
            # The first attempt died without an answer (abandoned): loop and run it afresh.

    def finish(self, entry, status, body, content_type):
        entry.answer = (status, body, content_type)
        entry.done.set()

    def abandon(self, tenant_id, key, entry):
        with self._lock:
            if self._entries.get((tenant_id, key)) is entry:
                del self._entries[(tenant_id, key)]
        entry.done.set()
