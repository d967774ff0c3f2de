#!/usr/bin/env python3
"""Sale orders → Xero invoices and their payments back, through Odoo against a fake Xero with Xero's
real limits, on a scaled clock.

    /opt/odoo18/venv/bin/python bench/send_orders.py --orders 1000 --time-scale 10

Run it with the Odoo Python. It makes a scratch database (dropped at the end unless --keep):
    -c CONF            use the PostgreSQL server and addons path of this Odoo config file
    --template DB      copy DB (it must have sale_management and account) instead of installing them
    (neither)          a throw-away PostgreSQL cluster in a temporary folder, as bin/test does
    --db-host/--db-port/--db-user   override the config's database server
Then xero_connector is installed (or updated) in it with odoo-bin, and the rest runs in this process
(see odoo_bench.py).

Setup (not measured): the main company is a New Zealand one in NZD, as the fake organisation (a
child process, same clock: at --time-scale 10 a Xero minute lasts 6 real seconds); orders go as
draft invoices, not on confirmation, and products only when an order needs them. 50 customers
and 20 products are sent to Xero first, then N orders of 1 to 3 lines of them are created and
confirmed, 1,000 a transaction.
Send phase: Send to Xero on all N orders at once, as a person would (more than 50 are queued for
the scheduled push), then the push scheduled action for quotes and invoices is run as the cron
runner runs it (one batch a call, committed) until no invoice link is pending. Counted around
both: write calls (PUT/POST), HTTP 429s, SQL queries of every cursor of this process (quota and
log side-transactions included) per order, and the peak RSS.
Every invoice is then approved and paid in full in Xero, into the bank account 090, 50 a call
as a Xero user would (not counted).
Pull phase: the payments pull scheduled action is run as the cron runner runs it (again while it
reports work remaining); counted: read calls (GET) and HTTP 429s. Every order must then be paid
in Xero (``xero_paid``, ``xero_status`` PAID), else the run fails.
The last line is the result (write_calls, sql_per_order: the send phase; read_calls: the pull;
http_429: both; peak_rss_mb: the process's peak when the send ends):

    orders=N write_calls=C read_calls=R http_429=K sql_per_order=Q peak_rss_mb=M
"""
import math
import sys
import time

import odoo_bench
from odoo_bench import by_operation, current_rss_mb, log, rss_mb, start_fake

# Orders created and confirmed in one transaction: an order (lines, taxes, chatter) weighs far
# more than a product, and 1,000 at once would set the process's peak before the send begins.
ORDER_CHUNK = 100

CUSTOMERS, PRODUCTS = 50, 20
BANK_ACCOUNT = "090"  # the fake's seeded bank account (xero_sandbox/chart.py), payments enabled


def run(args, conf, db):
    registry, clock, meter = odoo_bench.start(conf, db, args.time_scale)
    import odoo
    from odoo import SUPERUSER_ID, api, sql_db

    fakes = []
    try:
        proc, url, _tenant = start_fake(clock)
        fakes.append(proc)
        started = time.monotonic()
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            params = env["ir.config_parameter"].sudo()
            for key, value in (("document_type", "invoice"), ("invoice_status", "DRAFT"), ("send_on_confirm", ""),
                               ("items_scope", "none"), ("email_on_approve", ""), ("rounding_adjustment", "")):
                params.set_param("xero_connector." + key, value)
            odoo_bench.new_zealand(env)  # as the organisation
            # Sales lines go to Xero's 200 Sales (the mapping wizard's proposal): Xero approves
            # no invoice with a line without an account.
            connection = odoo_bench.connect(env, url, contacts_linked_at=odoo.fields.Datetime.now(),
                                            xero_default_sales_account="200")
            connection_id = connection.id
            # The database's own products are not the bench's: only those the orders need go.
            env["xero.sync.state"]._for(connection, "items").linked_at = odoo.fields.Datetime.now()
            for xmlid in ("ir_cron_xero_push", "ir_cron_xero_pull", "ir_cron_xero_invoices_pull"):
                env.ref("xero_connector." + xmlid).active = False  # nothing else may run them meanwhile
            nz = env.ref("base.nz").id
            partners = env["res.partner"].create([{
                "name": "Bench Customer %03d" % i, "is_company": True, "xero_sync": True,
                "email": "bench%03d@example.com" % i, "street": "%d Queen Street" % (i + 1), "city": "Auckland",
                "zip": "1010", "country_id": nz,
            } for i in range(CUSTOMERS)])
            products = env["product.product"].create([{
                "name": "Bench Product %03d" % i, "default_code": "BP-%03d" % i, "list_price": 10 + i,
                "standard_price": 4 + i, "sale_ok": True, "type": "consu",
            } for i in range(PRODUCTS)])
            customer_ids, product_ids = partners.ids, products.ids
            admin_id = env.ref("base.user_admin").id  # Send to Xero is a Xero user's button
            cr.commit()
            # The customers and products are in Xero before the orders are sent.
            by_partner = env["xero.partner.link"]._push_now(partners, connection)
            by_product = env["xero.product.link"]._push_now(products, connection)
            cr.commit()
            missing = [link.error or link.state for link in list(by_partner.values()) + list(by_product.values())
                       if link.state != "synced" or not link._xero_id()]
            if missing:
                log("ERROR: customers or products not in Xero: %s" % missing[:3])
                return 1
        log("%d customers and %d products in Xero in %.1f s" % (CUSTOMERS, PRODUCTS, time.monotonic() - started))

        started = time.monotonic()
        order_ids = []
        for start in range(0, args.orders, ORDER_CHUNK):
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                orders = env["sale.order"].create([{
                    "partner_id": customer_ids[i % CUSTOMERS],
                    "client_order_ref": "BENCH-%06d" % i,
                    "order_line": [(0, 0, {
                        "product_id": product_ids[(i + j * 7) % PRODUCTS], "product_uom_qty": 1 + (i + j) % 5,
                    }) for j in range(1 + i % 3)],
                } for i in range(start, min(start + ORDER_CHUNK, args.orders))])
                orders.action_confirm()
                order_ids += orders.ids
        log("%d orders created and confirmed in %.1f s (peak RSS %.0f MB)" % (
            args.orders, time.monotonic() - started, rss_mb()))

        # -- send ---------------------------------------------------------------------------
        meter.reset()
        rss_before = current_rss_mb()
        queries = sql_db.sql_counter
        started, xero_started = time.monotonic(), clock.now()
        with registry.cursor() as cr:
            env = api.Environment(cr, admin_id, {})
            action = env["sale.order"].browse(order_ids).action_send_to_xero()
            cr.commit()
        log("Send to Xero: %s in %.1f s" % (action.get("params", {}).get("message"), time.monotonic() - started))
        runs = odoo_bench.cron_push_until_done(registry, ["quotes", "invoices"], "xero_order_link",
                                               10 * (args.orders // 1000 + 10))
        queries = sql_db.sql_counter - queries
        send_rss = rss_mb()
        with registry.cursor() as cr:
            cr.execute("SELECT state, count(*) FROM xero_order_link GROUP BY state")
            states = dict(cr.fetchall())
        writes = [c for c in meter.calls if c[0].startswith(("PUT ", "POST "))]
        write_calls, http_429 = len(writes), sum(1 for c in meter.calls if c[1] == 429)
        log("send: %s in %.1f s real (%.2f Xero minutes), %d scheduled-action runs, %d calls (%d writes: %s; "
            "%d reads), %d queries, peak RSS %.0f MB (RSS %.0f MB before the send, %.0f MB after)" % (
                states, time.monotonic() - started, (clock.now() - xero_started) / 60.0, runs, len(meter.calls),
                write_calls, by_operation(writes), len(meter.calls) - write_calls, queries, send_rss, rss_before,
                current_rss_mb()))
        ok = states.get("synced", 0) == args.orders
        if not ok:
            log("ERROR: %d of %d orders were not sent" % (args.orders - states.get("synced", 0), args.orders))

        # -- paid in Xero (not counted) -----------------------------------------------------
        meter.reset()
        started = time.monotonic()
        paid = pay_all(registry, clock, connection_id)
        log("%d invoices approved and paid in Xero in %.1f s (not counted: %s; %d HTTP 429)" % (
            paid, time.monotonic() - started, by_operation(meter.calls), sum(1 for c in meter.calls if c[1] == 429)))

        # -- pull ---------------------------------------------------------------------------
        meter.reset()
        started, xero_started = time.monotonic(), clock.now()
        runs, read = odoo_bench.cron_until_done(registry, "xero_connector.ir_cron_xero_invoices_pull",
                                                "_cron_pull_documents", 10 * (args.orders // 1000 + 10))
        pull_seconds = time.monotonic() - started
        reads = [c for c in meter.calls if c[0].startswith("GET ")]
        read_calls = len(reads)
        http_429 += sum(1 for c in meter.calls if c[1] == 429)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(order_ids)
            paid_orders = orders.filtered(lambda o: o.xero_paid and o.xero_status == "PAID")
            statuses = {}
            for order in orders - paid_orders:
                key = "%s/%s" % (order.xero_status, "paid" if order.xero_paid else "owed")
                statuses[key] = statuses.get(key, 0) + 1
        log("pull: %d records read in %.1f s real (%.2f Xero minutes) of which %.1f s inside Xero calls, %d "
            "scheduled-action runs, %d calls (%d reads: %s), peak RSS %.0f MB" % (
                read, pull_seconds, (clock.now() - xero_started) / 60.0, meter.inside, runs, len(meter.calls),
                read_calls, by_operation(reads), rss_mb()))
        if len(paid_orders) != args.orders:
            log("ERROR: %d of %d orders are not paid in Odoo after the pull (%s)" % (
                args.orders - len(paid_orders), args.orders, statuses))
            ok = False

        sql_per_order = queries / max(args.orders, 1)
        for name, value, target in (
                ("write_calls", write_calls, math.ceil(args.orders / 50) + 3),
                ("read_calls", read_calls, math.ceil(args.orders / 100) + 2), ("http_429", http_429, 0),
                ("sql_per_order", sql_per_order, 5)):
            log("target %s <= %s: %s" % (name, target, "met" if value <= target else "MISSED (%s)" % value))
        log("orders=%d write_calls=%d read_calls=%d http_429=%d sql_per_order=%.2f peak_rss_mb=%.1f"
            % (args.orders, write_calls, read_calls, http_429, sql_per_order, send_rss))
        return 0 if ok else 1
    finally:
        odoo_bench.stop(fakes, db)


def pay_all(registry, clock, connection_id):
    """Approve every invoice the orders became and pay it in full, as the Xero finance team would
    in Xero: 50 a call, through the addon's client (its quota and retries). Returns how many."""
    from odoo import SUPERUSER_ID, api
    from odoo.addons.xero_connector.xero.batch import WriteItem
    day = time.strftime("%Y-%m-%d", time.gmtime(clock.now()))
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        connection = env["xero.connection"].browse(connection_id)
        cr.execute("SELECT id, xero_invoice_id FROM xero_order_link WHERE connection_id = %s "
                   "AND xero_invoice_id IS NOT NULL ORDER BY id", (connection_id,))
        invoices = cr.fetchall()
        with connection._xero_session() as client:
            approved = client.save("Invoices", [WriteItem(link_id, {"InvoiceID": invoice_id, "Status": "AUTHORISED"},
                                                          "bench-approve") for link_id, invoice_id in invoices])
            refused = [r for r in approved if not r.ok]
            if refused:
                sys.exit("ERROR: Xero did not approve %d invoices: %s" % (len(refused), refused[0].errors))
            payments = client.save("Payments", [WriteItem(r.ref, {
                "Invoice": {"InvoiceID": r.xero_id}, "Account": {"Code": BANK_ACCOUNT}, "Date": day,
                "Amount": r.data["AmountDue"]}, "bench-pay") for r in approved], create_only=True)
            refused = [r for r in payments if not r.ok]
            if refused:
                sys.exit("ERROR: Xero did not take %d payments: %s" % (len(refused), refused[0].errors))
        cr.commit()
    return len(payments)


def add_arguments(parser):
    parser.add_argument("--orders", type=int, default=1000)


if __name__ == "__main__":
    sys.exit(odoo_bench.main(__doc__.split("\n\n")[0], add_arguments, run))
