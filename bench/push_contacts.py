#!/usr/bin/env python3
"""Push N contacts to a fake Xero with Xero's real limits, on a scaled clock.

    python bench/push_contacts.py --records 10000 --time-scale 10

Phase 1 pushes N contacts through the connector's client (batches of 50, quota-aware).
Phase 2 pushes the first min(N, 300) one call per record, as competing connectors do,
against a fresh fake organisation. Each fake runs in its own process, so this process's
peak RSS is the client's alone. Both share the clock: at --time-scale 10 a Xero minute
lasts 6 real seconds. The last line is the result:

    records=N calls=C http_429=K peak_rss_mb=M ceiling_ratio=R speedup_vs_per_record=S

ceiling_ratio: records per (scaled) minute / 3,000, Xero's write ceiling (60 calls x 50).
"""
import argparse
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from xero.batch import WriteItem  # noqa: E402
from xero.client import XeroClient  # noqa: E402
from xero.clock import Clock  # noqa: E402
from xero.endpoints import Endpoints  # noqa: E402
from xero.mappers import contact  # noqa: E402
from xero.quota import Limiter, Limits, MemoryStore  # noqa: E402
from xero.tokens import ClientCredentialsSource, TokenClient  # noqa: E402

CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"


def start_fake(clock, name):
    """A fake Xero in a child process, on our clock; returns (process, url, tenant id)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "xero_sandbox", "--time-scale", str(clock.scale), "--epoch", repr(clock.epoch),
         "--tenant", name, "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, "--custom"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    fields = dict(part.split("=", 1) for part in line.split())
    return proc, fields["FAKE_XERO_URL"], fields["TENANT_ID"]


def contacts(n, prefix):
    for i in range(n):
        yield WriteItem(("res.partner", i), contact.to_xero({
            "name": "%s Customer %06d" % (prefix, i), "number": "%s-%d" % (prefix, i),
            "email": "customer%d@example.com" % i, "phone": "+64 9 555 %04d" % (i % 10000),
            "street_address": {"street": "%d Queen Street" % i, "city": "Auckland", "zip": "1010",
                               "country": "NZ"}}), "v1")


def client_for(url, tenant, clock, calls):
    endpoints = Endpoints(url, url, url)
    source = ClientCredentialsSource(TokenClient(endpoints, CLIENT_ID, CLIENT_SECRET, clock=clock))
    return XeroClient(endpoints, tenant, source, limiter=Limiter(MemoryStore(), Limits(), clock),
                      clock=clock, on_call=calls.append)


def push(client, items, per_record):
    ok = 0
    if per_record:
        for item in items:
            ok += sum(r.ok for r in client.save("Contacts", [item]))
    else:
        ok += sum(r.ok for r in client.iter_save("Contacts", items))
    return ok


def run_phase(clock, name, n, per_record):
    proc, url, tenant = start_fake(clock, name)
    try:
        calls = []
        client = client_for(url, tenant, clock, calls)
        # Fetch the token before the clock starts; no API call, so the rolling minute
        # starts empty for both phases alike.
        client.ensure_token()
        started = clock.now()
        ok = push(client, contacts(n, name), per_record)
        minutes = (clock.now() - started) / 60.0
        return ok, calls, minutes
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--time-scale", type=float, default=10.0)
    parser.add_argument("--per-record", type=int, default=300, help="records in the one-call-per-record phase")
    args = parser.parse_args(argv)
    clock = Clock(args.time_scale)
    n = args.records

    wall = time.monotonic()
    ok, calls, minutes = run_phase(clock, "Batched", n, per_record=False)
    rate = ok / minutes if minutes else float("inf")
    print("batched: %d/%d records in %.2f Xero minutes (%.1f s real), %d calls, %.0f records/min"
          % (ok, n, minutes, time.monotonic() - wall, len(calls), rate), flush=True)
    if ok != n:
        print("ERROR: %d records were not saved" % (n - ok), file=sys.stderr)

    m = min(n, args.per_record)
    wall = time.monotonic()
    ok1, calls1, minutes1 = run_phase(clock, "PerRecord", m, per_record=True)
    rate1 = ok1 / minutes1 if minutes1 else float("inf")
    print("per record: %d/%d records in %.2f Xero minutes (%.1f s real), %d calls, %.0f records/min"
          % (ok1, m, minutes1, time.monotonic() - wall, len(calls1), rate1), flush=True)

    http_429 = sum(1 for c in calls + calls1 if c.status == 429)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("records=%d calls=%d http_429=%d peak_rss_mb=%.1f ceiling_ratio=%.2f speedup_vs_per_record=%.1f"
          % (n, len(calls), http_429, peak_rss_mb, rate / 3000.0, rate / rate1 if rate1 else 0.0))
    return 0 if ok == n and ok1 == m else 1


if __name__ == "__main__":
    sys.exit(main())
