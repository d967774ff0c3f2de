"""Per-organisation call budget, shared by every worker that talks to Xero.

Xero allows, per organisation and app: 60 calls in any rolling minute, 5 in flight, 5,000
a day (and 10,000 a minute across all organisations). Odoo runs several workers, cron
threads and maybe several servers, so the counters cannot live in memory: the limiter keeps
one small state per organisation in a *store* that serialises access (a lock in memory, an
SQLite file, or a PostgreSQL row on the Odoo side). All the rules live here; stores only
load and save.

State of one organisation (a JSON-able dict):
    minute       timestamps of calls in the last rolling minute (end time once finished)
    inflight     {lease id: start time} of calls in progress
    hours        {hour number: calls} for the rolling day
    blocked      time before which no call may start (429 Retry-After, app limit)
    problem      why it is blocked (Xero's X-Rate-Limit-Problem)
"""
import contextlib
import json
import math
import sqlite3
import threading
import uuid

from .clock import REAL_CLOCK
from .errors import QuotaExhausted

MINUTE = 60.0
DAY_HOURS = 24


class Limits:
    """Xero's published limits, plus what we keep for people clicking buttons."""

    def __init__(self, minute=60, concurrent=5, day=5000, daily_reserve=500, margin=0.5,
                 max_wait=300.0, lease_timeout=300.0):
        self.minute = minute
        self.concurrent = concurrent
        self.day = day
        # Background sync stops this many calls before the daily limit, so a salesperson's
        # "Send to Xero" still works at the end of a heavy day.
        self.daily_reserve = daily_reserve
        # Our clock and Xero's never agree exactly: keep calls a little longer in the window.
        self.margin = margin
        # Longer waits are not slept through: the caller is told to come back later.
        self.max_wait = max_wait
        # A worker that died mid-call must not hold a concurrency slot forever.
        self.lease_timeout = lease_timeout


class MemoryStore:
    """For one process: a lock and a dict."""

    def __init__(self):
        self._lock = threading.Lock()
        self._states = {}

    @contextlib.contextmanager
    def state(self, key):
        with self._lock:
            state = self._states.setdefault(key, {})
            yield state


class SqliteStore:
    """Shared by processes on one machine (tests, benchmarks, the demo)."""

    def __init__(self, path):
        self.path = str(path)
        with contextlib.closing(sqlite3.connect(self.path)) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS xero_quota (key TEXT PRIMARY KEY, state TEXT)")

    @contextlib.contextmanager
    def state(self, key):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")  # takes the write lock: one worker at a time
            row = db.execute("SELECT state FROM xero_quota WHERE key = ?", (key,)).fetchone()
            state = json.loads(row[0]) if row else {}
            yield state
            db.execute("INSERT OR REPLACE INTO xero_quota (key, state) VALUES (?, ?)",
                       (key, json.dumps(state)))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            db.close()


class Limiter:
    """Decides when a call to one organisation may start, and learns from Xero's answers."""

    def __init__(self, store=None, limits=None, clock=REAL_CLOCK):
        self.store = store or MemoryStore()
        self.limits = limits or Limits()
        self.clock = clock

    # -- the two calls around every request ------------------------------------------
    def acquire(self, tenant_id, interactive=False):
        """Wait until a call may start; return a lease for ``release``.

        Raises QuotaExhausted when the wait would be longer than ``max_wait`` or the daily
        budget (less the reserve, for background work) is spent.
        """
        waited = 0.0
        while True:
            now = self.clock.now()
            with self.store.state(tenant_id) as state:
                self._prune(state, now)
                wait = self._wait_needed(state, now, interactive)
                if wait <= 0:
                    lease = uuid.uuid4().hex[:12]
                    state["inflight"][lease] = now
                    state["minute"].append(now)
                    hour = str(int(now // 3600))
                    state["hours"][hour] = state["hours"].get(hour, 0) + 1
                    return lease
            if waited + wait > self.limits.max_wait:
                raise QuotaExhausted(
                    "Xero's call limit for this organisation is reached; "
                    "the sync resumes automatically in %d seconds." % math.ceil(wait),
                    retry_after=wait)
            self.clock.sleep(wait)
            waited += wait

    def release(self, tenant_id, lease, headers=None):
        """The call is over: free its slot and align our counters on Xero's headers."""
        now = self.clock.now()
        with self.store.state(tenant_id) as state:
            self._prune(state, now)
            started = state["inflight"].pop(lease, None)
            # The call counts in Xero's window from when Xero saw it, which is after we
            # started: move its mark to now so our window never frees a slot too early.
            if started is not None and started in state["minute"]:
                state["minute"].remove(started)
                state["minute"].append(now)
            if headers:
                self._learn(state, now, headers)

    def block(self, tenant_id, retry_after, problem=None):
        """Xero said 429: nobody calls this organisation before Retry-After has passed."""
        now = self.clock.now()
        with self.store.state(tenant_id) as state:
            self._prune(state, now)
            until = now + max(float(retry_after or 1), 1.0)
            if until > state["blocked"]:
                state["blocked"], state["problem"] = until, problem

    def snapshot(self, tenant_id):
        """Counters as a person would read them (settings page, health check)."""
        now = self.clock.now()
        with self.store.state(tenant_id) as state:
            self._prune(state, now)
            return {
                "minute_used": len(state["minute"]),
                "in_flight": len(state["inflight"]),
                "day_used": sum(state["hours"].values()),
                "blocked_for": max(0.0, state["blocked"] - now),
                "problem": state["problem"],
            }

    # -- rules ----------------------------------------------------------------------
    def _prune(self, state, now):
        state.setdefault("minute", [])
        state.setdefault("inflight", {})
        state.setdefault("hours", {})
        state.setdefault("blocked", 0.0)
        state.setdefault("problem", None)
        horizon = now - MINUTE - self.limits.margin
        state["minute"] = [t for t in state["minute"] if t > horizon]
        stale = now - self.limits.lease_timeout
        state["inflight"] = {k: t for k, t in state["inflight"].items() if t > stale}
        first_hour = int(now // 3600) - DAY_HOURS + 1
        state["hours"] = {h: n for h, n in state["hours"].items() if int(h) >= first_hour}
        if state["blocked"] <= now:
            state["blocked"], state["problem"] = 0.0, None

    def _wait_needed(self, state, now, interactive):
        limits = self.limits
        day_used = sum(state["hours"].values())
        day_budget = limits.day if interactive else limits.day - limits.daily_reserve
        if day_used >= day_budget:
            # The rolling day frees calls as hours pass; the oldest hour goes first.
            oldest = min(int(h) for h in state["hours"])
            raise QuotaExhausted(
                "Xero's daily call limit for this organisation is reached (%d of %d calls%s); "
                "it resumes within the next %d minutes."
                % (day_used, limits.day,
                   "" if interactive else ", %d kept for manual actions" % limits.daily_reserve,
                   math.ceil(((oldest + DAY_HOURS) * 3600 - now) / 60)),
                retry_after=(oldest + DAY_HOURS) * 3600 - now)
        if state["blocked"] > now:
            if state["problem"] == "day":
                raise QuotaExhausted(
                    "Xero refused more calls today for this organisation; "
                    "the sync resumes in %d minutes." % math.ceil((state["blocked"] - now) / 60),
                    retry_after=state["blocked"] - now)
            return state["blocked"] - now
        if len(state["minute"]) >= limits.minute:
            oldest = sorted(state["minute"])[len(state["minute"]) - limits.minute]
            return max(oldest + MINUTE + limits.margin - now, 0.01)
        if len(state["inflight"]) >= limits.concurrent:
            return 0.05  # a slot frees when a call ends: look again shortly
        return 0.0

    def _learn(self, state, now, headers):
        """Take Xero's remaining counts as the truth when they are lower than ours."""
        remaining = _int_header(headers, "X-MinLimit-Remaining")
        if remaining is not None:
            missing = (self.limits.minute - remaining) - len(state["minute"])
            state["minute"].extend([now] * max(missing, 0))
        remaining = _int_header(headers, "X-DayLimit-Remaining")
        if remaining is not None:
            missing = (self.limits.day - remaining) - sum(state["hours"].values())
            if missing > 0:
                hour = str(int(now // 3600))
                state["hours"][hour] = state["hours"].get(hour, 0) + missing
        remaining = _int_header(headers, "X-AppMinLimit-Remaining")
        if remaining is not None and remaining <= 0 and state["blocked"] < now + MINUTE:
            state["blocked"], state["problem"] = now + MINUTE, "appminute"


def _int_header(headers, name):
    value = headers.get(name)
    if value is None:
        value = headers.get(name.lower())
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
