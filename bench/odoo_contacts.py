#!/usr/bin/env python3
"""Contacts through Odoo against a fake Xero with Xero's real limits, on a scaled clock.

    /opt/odoo18/venv/bin/python bench/odoo_contacts.py --partners 10000 --time-scale 10 [--pull 100000]

Run it with the Odoo Python. It makes a scratch database (dropped at the end unless --keep):
    -c CONF            use the PostgreSQL server and addons path of this Odoo config file
    --template DB      copy DB (it must have sale_management and account) instead of installing them
    (neither)          a throw-away PostgreSQL cluster in a temporary folder, as bin/test does
    --db-host/--db-port/--db-user   override the config's database server
Then xero_connector is installed (or updated) in it with odoo-bin, and the rest runs in this process
(see odoo_bench.py).

Push phase: N partners ticked "Sync to Xero" (created 1,000 a transaction), then the push
scheduled action is run as the cron runner runs it (one batch a call, committed) until nothing is
pending, against an empty fake organisation (a child process, same clock: at --time-scale 10 a
Xero minute lasts 6 real seconds). Counted around the push: write calls (PUT/POST), HTTP 429s, SQL
queries of every cursor of this process (quota and log side-transactions included) per partner.
Pull phase (--pull M): a second fake organisation holding M contacts; the connection is moved to
it and the pull scheduled action reads them all into Odoo. Records per second exclude the time
spent inside Xero calls (HTTP, and waiting for Xero's minute limit).
The last line is the result:

    partners=N write_calls=C http_429=K sql_per_partner=Q pull_records_per_s=P peak_rss_mb=M
"""
import sys
import time

import odoo_bench
from odoo_bench import CHUNK, log, rss_mb, start_fake


def run(args, conf, db):
    registry, clock, meter = odoo_bench.start(conf, db, args.time_scale)
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.addons.xero_connector.sync.contacts import ContactSync

    fakes = []
    try:
        proc, url, _tenant = start_fake(clock)
        fakes.append(proc)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            connection = odoo_bench.connect(env, url, contacts_linked_at=odoo.fields.Datetime.now())
            connection_id = connection.id
            nz = env.ref("base.nz").id
            env.ref("xero_connector.ir_cron_xero_push").active = False  # nothing else may run it meanwhile
        started = time.monotonic()
        for start in range(0, args.partners, CHUNK):
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["res.partner"].create([{
                    "name": "Bench Customer %06d" % i, "is_company": True, "xero_sync": True,
                    "email": "bench%06d@example.com" % i, "phone": "+64 9 555 %04d" % (i % 10000),
                    "street": "%d Queen Street" % (i % 900 + 1), "city": "Auckland", "zip": "1010",
                    "country_id": nz, "vat": "NZ%09d" % i,
                } for i in range(start, min(start + CHUNK, args.partners))])
        log("%d partners created in %.1f s (peak RSS %.0f MB)" % (args.partners, time.monotonic() - started,
                                                                 rss_mb()))

        # -- push ---------------------------------------------------------------------------
        synced, write_calls, http_429, queries = odoo_bench.push_until_done(
            registry, clock, meter, "contacts", "xero_partner_link", args.partners)
        ok = synced == args.partners

        # -- pull ---------------------------------------------------------------------------
        pull_rate = 0.0
        if args.pull:
            progress = {"at": time.monotonic()}

            def on_page(done):
                if done % 20000 == 0:
                    log("  pulled %d in %.0f s" % (done, time.monotonic() - progress["at"]))

            read, pull_seconds, inside, calls, pull_429 = odoo_bench.pull_new_organisation(
                registry, clock, meter, connection_id, ContactSync, fakes, on_page=on_page, contacts=args.pull)
            with registry.cursor() as cr:
                cr.execute("SELECT count(*) FILTER (WHERE state = 'synced'), count(DISTINCT xero_contact_id) "
                           "FROM xero_partner_link WHERE connection_id = %s", (connection_id,))
                linked, distinct = cr.fetchone()
            odoo_seconds = pull_seconds - inside
            # Distinct contacts now in Odoo, not contacts read: the pull re-reads the last second
            # of each page on purpose, and those re-reads must not flatter the rate.
            pull_rate = distinct / odoo_seconds if odoo_seconds > 0 else 0.0
            http_429 += pull_429
            log("pull: %d contacts read (re-reads included), %d distinct contacts linked, %d synced links, "
                "%.1f s real of which %.1f s inside Xero calls (%d calls): %.0f distinct records/s in Odoo, "
                "peak RSS %.0f MB" % (read, distinct, linked, pull_seconds, inside, calls, pull_rate, rss_mb()))
            ok = ok and distinct >= args.pull
        log("partners=%d write_calls=%d http_429=%d sql_per_partner=%.2f pull_records_per_s=%.0f peak_rss_mb=%.1f"
            % (args.partners, write_calls, http_429, queries / max(args.partners, 1), pull_rate, rss_mb()))
        return 0 if ok else 1
    finally:
        odoo_bench.stop(fakes, db)


def add_arguments(parser):
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--pull", type=int, default=0, help="contacts in the organisation to pull (0: no pull)")


if __name__ == "__main__":
    sys.exit(odoo_bench.main(__doc__.split("\n\n")[0], add_arguments, run))
