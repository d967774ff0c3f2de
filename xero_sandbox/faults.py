"""Fault injection: the failures a real network and a real Xero produce now and then.

``fx.faults.add(kind, path=None, method=None, times=1, **options)`` queues a fault for the
next ``times`` matching requests. Kinds:

- ``"500"`` / ``"503"``: answer that status before doing anything.
- ``"429"``: answer 429 with ``retry_after=`` (default 1) and ``problem=`` (default "minute").
- ``"slow"``: sleep ``seconds=`` REAL seconds, then process normally (client timeouts).
  The request is processed even if the client has given up meanwhile, as a real server
  would: a timed-out write may still land.
- ``"drop"``: close the socket without answering, before processing (nothing written).
- ``"lost_response"``: process fully (the write happens), then close the socket without
  answering: the client cannot know its write landed, the classic duplicate trap.

``path=None`` matches Accounting API requests only (the usual target; token calls keep
working); give a path such as ``"/connect/token"`` to hit an identity endpoint. Paths match
as case-insensitive prefixes, with or without the ``/api.xro/2.0`` base.
"""
import threading

from .recording import path_matches

KINDS = ("500", "503", "429", "slow", "drop", "lost_response")
API_BASE = "/api.xro/2.0"


class Fault:
    def __init__(self, kind, path, method, times, options):
        self.kind = kind
        self.path = path
        self.method = method.upper() if method else None
        self.remaining = times
        self.options = options

    def matches(self, method, path):
        if self.method and self.method != method.upper():
            return False
        if self.path is None:
            return path.lower().startswith(API_BASE.lower())
        return path_matches(path, self.path)

    def __repr__(self):
        return "Fault(%s, path=%r, method=%r, remaining=%d)" % (
            self.kind, self.path, self.method, self.remaining)


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._queue = []

    def add(self, kind, path=None, method=None, times=1, **options):
        kind = str(kind)
        if kind not in KINDS:
            raise ValueError("unknown fault kind %r (one of %s)" % (kind, ", ".join(KINDS)))
        fault = Fault(kind, path, method, int(times), options)
        with self._lock:
            self._queue.append(fault)
        return fault

    def clear(self):
        with self._lock:
            self._queue.clear()

    def pending(self):
        with self._lock:
            return [f for f in self._queue if f.remaining > 0]

    def take(self, method, path):
        """The first queued fault matching this request, consumed; None if none."""
        with self._lock:
            for fault in self._queue:
                if fault.remaining > 0 and fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._queue.remove(fault)
                    return fault
        return None
