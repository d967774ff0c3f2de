"""The limiter keeps every worker within Xero's limits, threads and processes alike."""
import multiprocessing
import threading

import pytest

from xero.clock import Clock
from xero.errors import QuotaExhausted
from xero.quota import Limiter, Limits, MemoryStore, SqliteStore

FAST = 1000.0  # a Xero minute lasts 60 ms


def starts_per_window(starts, window=60.0):
    """The most calls that started within any rolling window."""
    starts = sorted(starts)
    best, j = 0, 0
    for i, t in enumerate(starts):
        while starts[j] <= t - window:
            j += 1
        best = max(best, i - j + 1)
    return best


def test_threads_never_exceed_minute_or_concurrency():
    clock = Clock(FAST)
    limiter = Limiter(MemoryStore(), Limits(minute=20, concurrent=3, margin=0.5), clock)
    starts, in_flight, peak = [], [0], [0]
    lock = threading.Lock()

    def worker():
        for _ in range(10):
            lease = limiter.acquire("t1")
            with lock:
                starts.append(clock.now())
                in_flight[0] += 1
                peak[0] = max(peak[0], in_flight[0])
            clock.sleep(0.5)  # the call takes half a (scaled) second
            with lock:
                in_flight[0] -= 1
            limiter.release("t1", lease)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(starts) == 60
    assert peak[0] <= 3
    assert starts_per_window(starts) <= 20
    # and it does not idle: 60 calls at 20 a minute need about two minutes after the first burst
    assert max(starts) - min(starts) < 3 * 60


def _process_worker(path, scale, epoch, calls, out):
    clock = Clock(scale, epoch)
    limiter = Limiter(SqliteStore(path), Limits(minute=15, concurrent=2, margin=0.5), clock)
    for _ in range(calls):
        lease = limiter.acquire("org")
        out.put(clock.now())
        clock.sleep(0.2)
        limiter.release("org", lease)


def test_two_processes_share_one_store(tmp_path):
    path = tmp_path / "quota.sqlite"
    SqliteStore(path)
    clock = Clock(FAST)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_process_worker, args=(str(path), FAST, clock.epoch, 15, out))
             for _ in range(2)]
    for p in procs:
        p.start()
    starts = [out.get(timeout=60) for _ in range(30)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    # Each process alone would happily start 15 in the first minute: together they must not.
    assert starts_per_window(starts) <= 15


def test_retry_after_blocks_everyone_until_it_passes():
    clock = Clock(FAST)
    limiter = Limiter(MemoryStore(), Limits(), clock)
    limiter.block("t", retry_after=30, problem="minute")
    before = clock.now()
    limiter.release("t", limiter.acquire("t"))
    assert clock.now() - before >= 30


def test_day_limit_keeps_a_reserve_for_people():
    clock = Clock(FAST)
    limiter = Limiter(MemoryStore(), Limits(minute=10_000, day=50, daily_reserve=10), clock)
    for _ in range(40):
        limiter.release("t", limiter.acquire("t"))
    with pytest.raises(QuotaExhausted) as err:
        limiter.acquire("t")  # background work stops at the reserve
    assert "kept for manual actions" in str(err.value)
    for _ in range(10):
        limiter.release("t", limiter.acquire("t", interactive=True))
    with pytest.raises(QuotaExhausted):
        limiter.acquire("t", interactive=True)  # and nobody goes past Xero's limit


def test_day_limit_from_xero_stops_for_the_day():
    clock = Clock(FAST)
    limiter = Limiter(MemoryStore(), Limits(), clock)
    limiter.block("t", retry_after=6 * 3600, problem="day")
    with pytest.raises(QuotaExhausted) as err:
        limiter.acquire("t", interactive=True)
    assert err.value.retry_after > 5 * 3600


def test_learns_from_xero_headers():
    clock = Clock(FAST)
    limiter = Limiter(MemoryStore(), Limits(), clock)
    lease = limiter.acquire("t")
    # Xero counted more than we did (e.g. calls made before this process started).
    limiter.release("t", lease, {"X-MinLimit-Remaining": "5", "X-DayLimit-Remaining": "4000"})
    snap = limiter.snapshot("t")
    assert snap["minute_used"] == 55
    assert snap["day_used"] == 1000


def test_long_waits_are_not_slept_through():
    clock = Clock(FAST)
    limiter = Limiter(MemoryStore(), Limits(max_wait=10), clock)
    limiter.block("t", retry_after=120, problem="minute")
    with pytest.raises(QuotaExhausted) as err:
        limiter.acquire("t")
    assert err.value.retry_after > 100
