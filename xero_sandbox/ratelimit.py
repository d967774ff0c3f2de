"""Xero's API rate limits, on the shared clock.

Per tenant: ``minute_limit`` calls in any rolling 60 s, ``day_limit`` in any rolling 24 h and
``concurrent_limit`` calls in progress at once; per app: ``app_minute_limit`` calls in any
rolling 60 s across all its tenants. A refused call does not count. ``Retry-After`` is the
clock time until the window frees a slot, rounded up, at least 1 (concurrent: 1), so a client
sleeping exactly that long on the same clock gets through.
"""
import collections
import math
import threading

MINUTE = 60.0
DAY = 86400.0


class Refusal:
    def __init__(self, problem, retry_after):
        self.problem = problem          # minute | day | appminute | concurrent
        self.retry_after = retry_after  # whole seconds of clock time


def _retry_after(window, span, limit, now):
    # The call is refused while ``len(window) >= limit``; one more fits once the oldest
    # ``len - limit + 1`` calls have left the window, i.e. when window[len - limit] expires.
    expires = window[len(window) - limit] + span
    return max(1, int(math.ceil(expires - now - 1e-9)))


class RateLimiter:
    def __init__(self, clock, minute_limit=60, concurrent_limit=5, day_limit=5000,
                 app_minute_limit=10000):
        self.clock = clock
        self.minute_limit = minute_limit
        self.concurrent_limit = concurrent_limit
        self.day_limit = day_limit
        self.app_minute_limit = app_minute_limit
        self._lock = threading.Lock()
        self._minute = collections.defaultdict(collections.deque)   # tenant -> times
        self._day = collections.defaultdict(collections.deque)      # tenant -> times
        self._app = collections.defaultdict(collections.deque)      # app -> times
        self._running = collections.Counter()                       # tenant -> in progress

    def _trim(self, now):
        for windows, span in ((self._minute, MINUTE), (self._day, DAY), (self._app, MINUTE)):
            for window in windows.values():
                while window and window[0] <= now - span:
                    window.popleft()

    def acquire(self, tenant_id, app_id):
        """Count the call and mark it in progress, or return a ``Refusal`` (nothing counted).
        On success the caller must call ``release(tenant_id)`` when the answer is sent."""
        with self._lock:
            now = self.clock.now()
            self._trim(now)
            refusals = []
            checks = (
                ("day", self._day[tenant_id], DAY, self.day_limit),
                ("minute", self._minute[tenant_id], MINUTE, self.minute_limit),
                ("appminute", self._app[app_id], MINUTE, self.app_minute_limit),
            )
            for problem, window, span, limit in checks:
                if len(window) >= limit:
                    refusals.append(Refusal(problem, _retry_after(window, span, limit, now)))
            if refusals:
                # Several windows full: the call only fits once all have a slot.
                return max(refusals, key=lambda r: r.retry_after)
            if self._running[tenant_id] >= self.concurrent_limit:
                return Refusal("concurrent", 1)
            self._day[tenant_id].append(now)
            self._minute[tenant_id].append(now)
            self._app[app_id].append(now)
            self._running[tenant_id] += 1
            return None

    def release(self, tenant_id):
        with self._lock:
            self._running[tenant_id] -= 1

    def remaining(self, tenant_id, app_id):
        """Values for X-MinLimit-Remaining, X-DayLimit-Remaining, X-AppMinLimit-Remaining."""
        with self._lock:
            self._trim(self.clock.now())
            return (
                max(0, self.minute_limit - len(self._minute.get(tenant_id, ()))),
                max(0, self.day_limit - len(self._day.get(tenant_id, ()))),
                max(0, self.app_minute_limit - len(self._app.get(app_id, ()))),
            )
