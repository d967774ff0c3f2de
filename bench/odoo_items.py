#!/usr/bin/env python3
"""Products ⇄ Xero items through Odoo against a fake Xero with Xero's real limits, on a scaled clock.

    /opt/odoo18/venv/bin/python bench/odoo_items.py --products 10000 --time-scale 10 [--pull 20000]

Run it with the Odoo Python. It makes a scratch database (dropped at the end unless --keep):
    -c CONF            use the PostgreSQL server and addons path of this Odoo config file
    --template DB      copy DB (it must have sale_management and account) instead of installing them
    (neither)          a throw-away PostgreSQL cluster in a temporary folder, as bin/test does
    --db-host/--db-port/--db-user   override the config's database server
Then xero_connector is installed (or updated) in it with odoo-bin, and the rest runs in this process
(see odoo_bench.py).

Push phase: N products that can be sold (so each gets a link, the default scope), created 1,000
a transaction, then the engine's push scheduled action is run for products as the cron runner
runs it (one batch a call, committed) until nothing is pending, against an empty fake
organisation (a child process, same clock: at --time-scale 10 a Xero minute lasts 6 real
seconds). Counted around the push: write calls (PUT/POST), HTTP 429s, SQL queries of every cursor
of this process (quota and log side-transactions included) per product, and the peak RSS.
Pull phase (--pull M): a second fake organisation holding M items (one in ten tracked, with
stock); the connection is moved to it and the engine's pull reads them all into Odoo. Records
per second exclude the time spent inside Xero calls (HTTP, and waiting for Xero's minute limit).
The last line is the result (peak_rss_mb: the process's peak when the push ends):

    products=N write_calls=C http_429=K sql_per_product=Q pull_records_per_s=P peak_rss_mb=M
"""
import sys
import time

import odoo_bench
from odoo_bench import CHUNK, log, rss_mb, start_fake


def run(args, conf, db):
    registry, clock, meter = odoo_bench.start(conf, db, args.time_scale)
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.addons.xero_connector.sync.items import ItemSync

    fakes = []
    try:
        proc, url, _tenant = start_fake(clock)
        fakes.append(proc)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            connection = odoo_bench.connect(env, url)
            connection_id = connection.id
            # The database's own products are not the bench's: only those made below are linked.
            env["xero.sync.state"]._for(connection, "items").linked_at = odoo.fields.Datetime.now()
            env["xero.sync.state"]._for(connection, "contacts").paused = True
            env.ref("xero_connector.ir_cron_xero_push").active = False  # nothing else may run it meanwhile
            categ = env.ref("product.product_category_all").id
        started = time.monotonic()
        for start in range(0, args.products, CHUNK):
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["product.product"].create([{
                    "name": "Bench Product %06d" % i, "default_code": "BP-%06d" % i, "categ_id": categ,
                    "list_price": 10 + i % 100, "standard_price": 4 + i % 50, "sale_ok": True,
                    "description_sale": "Bench product number %d" % i,
                } for i in range(start, min(start + CHUNK, args.products))])
        log("%d products created in %.1f s (peak RSS %.0f MB)" % (args.products, time.monotonic() - started,
                                                                 rss_mb()))

        # -- push ---------------------------------------------------------------------------
        synced, write_calls, http_429, queries = odoo_bench.push_until_done(
            registry, clock, meter, "items", "xero_product_link", args.products)
        push_rss = rss_mb()
        ok = synced == args.products

        # -- pull ---------------------------------------------------------------------------
        pull_rate = 0.0
        if args.pull:
            read, pull_seconds, inside, calls, pull_429 = odoo_bench.pull_new_organisation(
                registry, clock, meter, connection_id, ItemSync, fakes, items=args.pull)
            with registry.cursor() as cr:
                cr.execute("SELECT count(DISTINCT xero_item_id), count(*) FILTER (WHERE xero_tracked), "
                           "sum(xero_quantity_on_hand) FROM xero_product_link WHERE connection_id = %s "
                           "AND state = 'synced'", (connection_id,))
                distinct, tracked, on_hand = cr.fetchone()
            odoo_seconds = pull_seconds - inside
            pull_rate = distinct / odoo_seconds if odoo_seconds > 0 else 0.0
            http_429 += pull_429
            log("pull: %d items read, %d distinct items linked (%d tracked, %.0f on hand), %.1f s real of which "
                "%.1f s inside Xero calls (%d calls): %.0f records/s in Odoo, peak RSS %.0f MB"
                % (read, distinct, tracked, on_hand or 0, pull_seconds, inside, calls, pull_rate, rss_mb()))
            ok = ok and distinct >= args.pull
        log("products=%d write_calls=%d http_429=%d sql_per_product=%.2f pull_records_per_s=%.0f peak_rss_mb=%.1f"
            % (args.products, write_calls, http_429, queries / max(args.products, 1), pull_rate, push_rss))
        return 0 if ok else 1
    finally:
        odoo_bench.stop(fakes, db)


def add_arguments(parser):
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--pull", type=int, default=0, help="items in the organisation to pull (0: no pull)")


if __name__ == "__main__":
    sys.exit(odoo_bench.main(__doc__.split("\n\n")[0], add_arguments, run))
