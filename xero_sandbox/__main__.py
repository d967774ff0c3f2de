"""Run a fake Xero as a program (benchmarks, the demo, a client in another process):

    python -m xero_sandbox --port 8100 --time-scale 10 --epoch 1700000000.0 \
        --tenant "Demo Company" --client-id ID --client-secret SECRET [--custom]

prints ``FAKE_XERO_URL=http://127.0.0.1:PORT TENANT_ID=...`` on one line, then serves until
killed. Give the client the same --epoch and --time-scale so both clocks agree.
"""
import argparse
import sys

from .shared import Clock
from .fake import FakeXero


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m xero_sandbox", description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0: any free port")
    p.add_argument("--time-scale", type=float, default=1.0)
    p.add_argument("--epoch", type=float, default=None, help="clock epoch (default: now)")
    p.add_argument("--tenant", default="Demo Company (NZ)")
    p.add_argument("--base-currency", default="NZD")
    p.add_argument("--client-id", default="fake-client-id")
    p.add_argument("--client-secret", default="fake-client-secret")
    p.add_argument("--custom", action="store_true", help="custom connection (client_credentials)")
    p.add_argument("--minute-limit", type=int, default=60)
    p.add_argument("--concurrent-limit", type=int, default=5)
    p.add_argument("--day-limit", type=int, default=5000)
    p.add_argument("--app-minute-limit", type=int, default=10000)
    p.add_argument("--latency", type=float, default=0.0, help="clock seconds per API call")
    args = p.parse_args(argv)

    fx = FakeXero(Clock(args.time_scale, args.epoch), args.minute_limit, args.concurrent_limit,
                  args.day_limit, args.app_minute_limit, args.latency)
    tenant_id = fx.add_tenant(args.tenant, base_currency=args.base_currency)
    fx.add_app(args.client_id, args.client_secret, tenants=[tenant_id], custom=args.custom)
    fx.run_as_program(tenant_id, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
