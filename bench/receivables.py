#!/usr/bin/env python3
"""Receivables: years of customers' Xero invoices into Odoo's mirror, and a big customer's figures
on the partner form, through Odoo against a fake Xero with Xero's real limits, on a scaled clock.

    /opt/odoo18/venv/bin/python bench/receivables.py --invoices 50000 --customers 5000 --time-scale 10

Run it with the Odoo Python. It makes a scratch database (dropped at the end unless --keep):
    -c CONF            use the PostgreSQL server and addons path of this Odoo config file
    --template DB      copy DB (it must have sale_management and account) instead of installing them
    (neither)          a throw-away PostgreSQL cluster in a temporary folder, as bin/test does
    --db-host/--db-port/--db-user   override the config's database server
Then xero_connector is installed (or updated) in it with odoo-bin, and the rest runs in this process
(see odoo_bench.py).

Setup (not measured): the fake organisation (a child process, same clock: at --time-scale 10 a
Xero minute lasts 6 real seconds) holds C contacts and N AUTHORISED sales invoices dated over the
last 3 years, put in its store directly by Xero's rules (bench/fake_xero.py --invoices): most
older ones paid, some partly, one in forty settled in part or whole by a credit note; the first
contact holds 2,000 of them. The main company is a New Zealand one in NZD, as the organisation.
The C contacts are linked to Odoo customers (xero.partner.link, synced), 1,000 a transaction; one
in ten (from the 16th) to a person of another linked customer's company, so that its documents
roll up to that company.
Pull phase: the payments' scheduled action (``_cron_pull_documents``: the receivables mirror's
first read, 3 years of history) is run as the cron runner runs it (each call in its own cursor,
committed) while it reports work remaining. Counted: read calls (GET), HTTP 429s, the time
inside Xero calls (HTTP, and waiting for Xero's minute limit), documents per second into Odoo
excluding that time (documents in the mirror afterwards, not documents read: the pull re-reads
the last second of each page on purpose), and the peak RSS of the pull (of the process where
/proc/self/clear_refs cannot reset it). Every invoice and credit note must be in the mirror.
Figures phase: the customer with the most documents (2,000 invoices) is read by a user of
Xero / Finance, as its partner form does, in a new cursor (an empty record cache; the registry's
caches warmed by reading another customer first): the SQL queries of that read of
xero_outstanding, xero_overdue, xero_overdue_days, xero_last_payment_date, xero_avg_days_to_pay,
xero_lifetime_paid and the five ageing fields are counted (and listed with -v), and the figures
checked against what the fake organisation says of the customer.
The last line is the result:

    invoices=N customers=C read_calls=R http_429=K docs_per_s=D partner_sql=S peak_rss_mb=M
"""
import contextlib
import math
import sys
import time

import odoo_bench
from fake_xero import contact_id
from odoo_bench import (CHUNK, by_operation, current_rss_mb, log, peak_rss_mb, reset_peak_rss, rss_mb,
                        start_fake)

BIG = 2000  # invoices of the first customer: the partner form's worst case
FIGURES = ["xero_outstanding", "xero_overdue", "xero_overdue_days", "xero_last_payment_date", "xero_avg_days_to_pay",
           "xero_lifetime_paid", "xero_ageing_current", "xero_ageing_1_30", "xero_ageing_31_60", "xero_ageing_61_90",
           "xero_ageing_90_plus"]


def run(args, conf, db):
    registry, clock, meter = odoo_bench.start(conf, db, args.time_scale)
    import odoo
    from odoo import SUPERUSER_ID, api

    fakes = []
    try:
        started = time.monotonic()
        proc, url, _tenant = start_fake(clock, contacts=args.customers, invoices=args.invoices, big_customer=BIG)
        fakes.append(proc)
        seeded = proc.fields
        log("fake organisation with %d contacts, %s invoices, %s credit notes and %s payments ready in %.1f s" % (
            args.customers, seeded["INVOICES"], seeded["CREDIT_NOTES"], seeded["PAYMENTS"],
            time.monotonic() - started))

        started = time.monotonic()
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            odoo_bench.new_zealand(env)
            company = env.ref("base.main_company")
            connection = odoo_bench.connect(env, url, contacts_linked_at=odoo.fields.Datetime.now())
            connection_id = connection.id
            env["xero.sync.state"]._for(connection, "items").linked_at = odoo.fields.Datetime.now()
            for xmlid in ("ir_cron_xero_push", "ir_cron_xero_pull", "ir_cron_xero_invoices_pull"):
                env.ref("xero_connector." + xmlid).active = False  # nothing else may run them meanwhile
            finance_uid = env["res.users"].create({
                "name": "Bench Finance", "login": "bench-finance", "company_id": company.id,
                "company_ids": [(6, 0, company.ids)], "groups_id": [(6, 0, [
                    env.ref("base.group_user").id, env.ref("sales_team.group_sale_salesman").id,
                    env.ref("xero_connector.group_xero_finance").id])]}).id
            nz = env.ref("base.nz").id
        for start in range(0, args.customers, CHUNK):
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                numbers = range(start, min(start + CHUNK, args.customers))
                people = [i for i in numbers if i % 10 == 5 and i >= 15 and i - 5 >= start]
                companies = [i for i in numbers if i not in people]
                partner_of = dict(zip(companies, env["res.partner"].create([{
                    "name": "Xero Customer %06d" % i, "is_company": True, "email": "customer%06d@example.com" % i,
                    "city": "Auckland", "country_id": nz} for i in companies]).ids))
                partner_of.update(zip(people, env["res.partner"].create([{
                    "name": "Accounts Person %06d" % i, "parent_id": partner_of[i - 5], "type": "contact",
                    "email": "person%06d@example.com" % i} for i in people]).ids))
                env["xero.partner.link"].create([{
                    "partner_id": partner_of[i], "connection_id": connection_id, "xero_contact_id": contact_id(i),
                    "state": "synced", "last_sync": odoo.fields.Datetime.now()} for i in numbers])
        log("%d customers linked to their Xero contacts in %.1f s (peak RSS %.0f MB)" % (
            args.customers, time.monotonic() - started, rss_mb()))

        # -- pull ---------------------------------------------------------------------------
        meter.reset()
        peak_reset = reset_peak_rss()
        rss_before = current_rss_mb()
        started, xero_started = time.monotonic(), clock.now()
        def said(run, done, seconds):
            if args.verbose:
                log("  run %d: %d documents read in %.1f s, %d calls so far" % (run, done, seconds, len(meter.calls)))

        runs, read = odoo_bench.cron_until_done(registry, "xero_connector.ir_cron_xero_invoices_pull",
                                                "_cron_pull_documents", 10 * (args.invoices // 1000 + 10), said)
        pull_seconds = time.monotonic() - started
        pull_rss = peak_rss_mb() if peak_reset else rss_mb()
        reads = [c for c in meter.calls if c[0].startswith("GET ")]
        read_calls = len(reads)
        http_429 = sum(1 for c in meter.calls if c[1] == 429)
        with registry.cursor() as cr:
            cr.execute("SELECT kind, count(*), count(partner_id) FROM xero_invoice WHERE connection_id = %s "
                       "GROUP BY kind", (connection_id,))
            kinds = {kind: (count, with_partner) for kind, count, with_partner in cr.fetchall()}
            cr.execute("SELECT count(*) FROM xero_invoice i JOIN res_partner p ON p.id = i.partner_id "
                       "WHERE i.connection_id = %s AND p.commercial_partner_id <> p.id", (connection_id,))
            not_rolled_up = cr.fetchone()[0]
        documents = sum(count for count, _p in kinds.values())
        odoo_seconds = pull_seconds - meter.inside
        docs_per_s = documents / odoo_seconds if odoo_seconds > 0 else 0.0
        log("pull: %d documents read (re-reads included), %s in the mirror, in %.1f s real (%.2f Xero minutes) of "
            "which %.1f s inside Xero calls: %.0f documents/s in Odoo; %d scheduled-action runs, %d calls (%d reads: "
            "%s), peak RSS %.0f MB (RSS %.0f MB before, %.0f MB after)" % (
                read, ", ".join("%d %ss (%d with their customer)" % (c, k.replace("_", " "), p)
                                for k, (c, p) in sorted(kinds.items())),
                pull_seconds, (clock.now() - xero_started) / 60.0, meter.inside, docs_per_s,
                runs, len(meter.calls), read_calls, by_operation(reads), pull_rss, rss_before, current_rss_mb()))
        ok = True
        expected = {"invoice": int(seeded["INVOICES"]), "credit_note": int(seeded["CREDIT_NOTES"])}
        for kind, count in expected.items():
            if kinds.get(kind, (0, 0)) != (count, count):
                log("ERROR: %d %ss in Xero, %s in the mirror (count, with their customer)" % (
                    count, kind, kinds.get(kind, (0, 0))))
                ok = False
        if not_rolled_up:
            log("ERROR: %d documents on a person, not on their commercial entity" % not_rolled_up)
            ok = False

        # -- the partner form's figures -----------------------------------------------------
        with registry.cursor() as cr:
            cr.execute("SELECT partner_id, count(*) FROM xero_invoice WHERE connection_id = %s AND partner_id IS NOT "
                       "NULL GROUP BY partner_id ORDER BY count(*) DESC LIMIT 2", (connection_id,))
            (big_id, big_count), (other_id, _count) = cr.fetchall()
        cold, _values, _queries = read_figures(registry, finance_uid, other_id)  # the registry's caches, warm
        partner_sql, values, queries = read_figures(registry, finance_uid, big_id)
        sudo_sql, _values, _queries = read_figures(registry, SUPERUSER_ID, big_id)
        log("figures of the customer with %d documents as a finance user: %d SQL queries (%d for the first "
            "customer read, caches cold; %d as superuser): %s" % (
                big_count, partner_sql, cold, sudo_sql,
                ", ".join("%s=%s" % (name[5:], values[name]) for name in FIGURES)))
        if args.verbose:
            for n, query in enumerate(queries, 1):
                log("  query %d: %s" % (n, " ".join(query.split())[:300]))
        xero_says = {"xero_outstanding": float(seeded["BIG_OUTSTANDING"]),
                     "xero_lifetime_paid": float(seeded["BIG_PAID"]),
                     "xero_last_payment_date": seeded["BIG_LAST_PAYMENT"],
                     "xero_avg_days_to_pay": float(seeded["BIG_AVG_DAYS_TO_PAY"])}
        got = dict(values, xero_last_payment_date=str(values["xero_last_payment_date"]))
        wrong = {name: (value, got[name]) for name, value in xero_says.items()
                 if (abs(got[name] - value) > 0.01 if isinstance(value, float) else got[name] != value)}
        if wrong:
            log("ERROR: figures other than Xero's (Xero, Odoo): %s" % wrong)
            ok = False
        ageing = sum(values[name] for name in FIGURES if name.startswith("xero_ageing_"))
        if abs(ageing - values["xero_outstanding"]) > 0.01:  # no credit held in this organisation
            log("ERROR: the ageing (%.2f) does not add up to what is owed (%.2f)" % (
                ageing, values["xero_outstanding"]))
            ok = False

        for name, value, target in (
                ("read_calls", read_calls, math.ceil(args.invoices / 1000) + 5), ("partner_sql", partner_sql, 10)):
            log("target %s <= %s: %s" % (name, target, "met" if value <= target else "MISSED (%s)" % value))
        log("target docs_per_s >= 500: %s" % ("met" if docs_per_s >= 500 else "MISSED (%.0f)" % docs_per_s))
        log("invoices=%d customers=%d read_calls=%d http_429=%d docs_per_s=%.0f partner_sql=%d peak_rss_mb=%.1f"
            % (args.invoices, args.customers, read_calls, http_429, docs_per_s, partner_sql, pull_rss))
        return 0 if ok else 1
    finally:
        odoo_bench.stop(fakes, db)


def read_figures(registry, uid, partner_id):
    """Read the figures of ``partner_id`` as user ``uid`` in a new cursor and environment (an empty
    record cache), as the partner form does. Returns (SQL queries, {field: value}, the queries)."""
    from odoo import api, sql_db
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        partner = env["res.partner"].browse(partner_id)
        with recording_queries() as queries:
            counter = sql_db.sql_counter
            values = partner.read(FIGURES)[0]
            count = sql_db.sql_counter - counter
        cr.rollback()
    return count, values, queries


@contextlib.contextmanager
def recording_queries():
    """The text of every query this process runs meanwhile."""
    from odoo import sql_db
    queries, execute = [], sql_db.Cursor.execute

    def recording(cursor, query, params=None, log_exceptions=True):
        queries.append(str(query.code if hasattr(query, "code") else query))
        return execute(cursor, query, params, log_exceptions)

    sql_db.Cursor.execute = recording
    try:
        yield queries
    finally:
        sql_db.Cursor.execute = execute


def add_arguments(parser):
    parser.add_argument("--invoices", type=int, default=5000)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("-v", "--verbose", action="store_true", help="say each run of the pull and list the "
                                                                     "figures' queries")


if __name__ == "__main__":
    sys.exit(odoo_bench.main(__doc__.split("\n\n")[0], add_arguments, run))
