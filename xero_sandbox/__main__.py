"""Run a fake Xero as a program (benchmarks, the demo, a client in another process):

    python -m xero_sandbox --port 8100 --time-scale 10 --epoch 1700000000.0 \
        --tenant "Demo Company" --client-id ID --client-secret SECRET [--custom] [--seed demo]

prints ``FAKE_XERO_URL=http://127.0.0.1:PORT TENANT_ID=...`` on one line, then serves until
killed. Give the client the same --epoch and --time-scale so both clocks agree. ``--seed demo``
gives the organisation a few customers and items (``demo.py``). Its page, http://127.0.0.1:PORT/sandbox/,
lists the invoices and records payments on them (``page.py``); so does a command:

    python -m xero_sandbox pay --invoice INV-0001 [--amount 50] [--port 8899]

which asks the sandbox running on that port to record a payment of ``--amount`` (default: what
the invoice still owes) on the invoice, as a Xero user would.
"""
import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

from .shared import Clock
from .fake import FakeXero


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["pay"]:
        return pay(argv[1:])
    p = argparse.ArgumentParser(prog="python -m xero_sandbox", description=__doc__.split("\n\n")[0],
                                epilog="python -m xero_sandbox pay --help: record a payment in a running sandbox.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0: any free port")
    p.add_argument("--time-scale", type=float, default=1.0)
    p.add_argument("--epoch", type=float, default=None, help="clock epoch (default: now)")
    p.add_argument("--tenant", default="Demo Company (NZ)")
    p.add_argument("--base-currency", default="NZD")
    p.add_argument("--client-id", default="fake-client-id")
    p.add_argument("--client-secret", default="fake-client-secret")
    p.add_argument("--custom", action="store_true", help="custom connection (client_credentials)")
    p.add_argument("--seed", choices=("none", "demo"), default="none",
                   help="demo: a few customers and items besides the chart of accounts and tax rates")
    p.add_argument("--minute-limit", type=int, default=60)
    p.add_argument("--concurrent-limit", type=int, default=5)
    p.add_argument("--day-limit", type=int, default=5000)
    p.add_argument("--app-minute-limit", type=int, default=10000)
    p.add_argument("--latency", type=float, default=0.0, help="clock seconds per API call")
    args = p.parse_args(argv)

    fx = FakeXero(Clock(args.time_scale, args.epoch), args.minute_limit, args.concurrent_limit,
                  args.day_limit, args.app_minute_limit, args.latency)
    tenant_id = fx.add_tenant(args.tenant, base_currency=args.base_currency)
    if args.seed == "demo":
        from .demo import seed_demo
        contacts, items = seed_demo(fx, tenant_id)
        print("seeded %s: %d contacts, %d items" % (args.tenant, contacts, items), file=sys.stderr, flush=True)
    fx.add_app(args.client_id, args.client_secret, tenants=[tenant_id], custom=args.custom)
    fx.run_as_program(tenant_id, args.host, args.port)
    return 0


def pay(argv):
    """``python -m xero_sandbox pay``: 0 when the payment is recorded, 1 when the sandbox refuses
    it, 2 when no sandbox answers."""
    p = argparse.ArgumentParser(prog="python -m xero_sandbox pay",
                                description="Record a payment on an invoice of a running sandbox, as a Xero "
                                            "user would: into its bank account, today.")
    p.add_argument("--invoice", required=True, help="the invoice's number (INV-0001) or InvoiceID")
    p.add_argument("--amount", help="how much (default: all the invoice still owes)")
    p.add_argument("--tenant", help="the organisation's TenantID (default: the one holding the invoice)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8899)
    args = p.parse_args(argv)
    form = {"invoice": args.invoice}
    if args.amount:
        form["amount"] = args.amount
    if args.tenant:
        form["tenant"] = args.tenant
    url = "http://%s:%d/sandbox/pay" % (args.host, args.port)
    request = urllib.request.Request(url, urllib.parse.urlencode(form).encode(),
                                     {"Accept": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            print(json.load(answer)["message"])
        return 0
    except urllib.error.HTTPError as err:
        try:
            message = json.load(err)["message"]
        except ValueError:
            message = "the sandbox answered %s" % err.code
        print(message, file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as err:
        print("No sandbox answers at http://%s:%d (%s). Is it running (bin/run starts it)?"
              % (args.host, args.port, getattr(err, "reason", err)), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
