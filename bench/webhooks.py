#!/usr/bin/env python3
"""Xero's webhook deliveries through a running Odoo server: each answered at once, every forged
one refused, then every record they named read once, nothing lost while the read runs behind.

    /opt/odoo18/venv/bin/python bench/webhooks.py --time-scale 10

Run it with the Odoo Python. It makes a scratch database (dropped at the end unless --keep):
    -c CONF            use the PostgreSQL server and addons path of this Odoo config file
    --template DB      copy DB (it must have sale_management and account) instead of installing them
    (neither)          a throw-away PostgreSQL cluster in a temporary folder, as bin/test does
    --db-host/--db-port/--db-user   override the config's database server
Then xero_connector is installed (or updated) in it with odoo-bin (see odoo_bench.py).

Setup (not measured): the fake organisation (a child process, same clock: at --time-scale 10 a
Xero minute lasts 6 real seconds) holds --contacts contacts (and 100 more, named by forged
deliveries only) and --invoices sales invoices over them, some settled by credit notes
(bench/fake_xero.py --invoices). The main company is a New Zealand one in NZD, as the
organisation; every other contact is linked to an Odoo customer, the others are new to Odoo. The
connection has a webhook key, and the ids of the invoices and credit notes are read once through
the addon's client (not counted).
Delivery phase: odoo-bin serves the database on a free port of 127.0.0.1 (``-d`` and
``--db-filter`` of it alone: the route finds the database without a cookie; no cron thread;
--workers 0, threaded, unless told). --deliveries signed deliveries of --events events each go to
the connection's webhook address from --threads client threads at once, one connection a
delivery, as Xero posts: CONTACT, INVOICE and CREDITNOTE events (one in ten a CREATE) naming
every contact, invoice and credit note many times over, each event a change of its own time;
--replays of the deliveries are the same body sent again a little later (Xero retrying). Mixed
in, --forged deliveries: signed with another key, unsigned, or a signed body altered. Measured at
the client: the time from connecting to the last byte of the answer of each valid delivery (p50,
p99); each valid one must get 200 with an empty body, each forged one 401. The server's own request
log (werkzeug's line: queries, SQL time, the rest) says how much of that time is inside Odoo, and
which requests Odoo ran again after a concurrent update (a replay arriving while its original is
being stored). The events stored must be those of the distinct deliveries, each once.
Pull phase (the server stopped): the webhooks' scheduled action (``_cron_process``) is run as the
cron runner runs it (each run in its own cursor, committed) until no event waits. Counted: read
calls (GET) to the fake Xero, the runs, and the peak RSS of this process meanwhile (where
/proc/self/clear_refs can reset it). ``lost``: ids delivered but not read, plus events not marked
read, plus events missing from the store, plus contacts with no customer in Odoo and invoices or
credit notes not in the receivables mirror afterwards; it must be 0. No id of a forged delivery
may be read, and no id twice.
The last line is the result:

    deliveries=D events=E distinct_ids=N p50_ms=X p99_ms=Y forged_401=F/F read_calls=R runs=K lost=L peak_rss_mb=M
"""
import collections
import configparser
import datetime
import http.client
import math
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time

import odoo_bench
from fake_xero import contact_id
from odoo_bench import by_operation, child_peak_rss_mb, log, peak_rss_mb, reset_peak_rss, rss_mb, start_fake

CRON = "xero_connector.ir_cron_xero_webhooks"
DECOYS = 100  # contacts named by forged deliveries only: never to be read
COLLECTION = {"CONTACT": "Contacts", "INVOICE": "Invoices", "CREDITNOTE": "CreditNotes"}
P99_MS = 100
SERVER_START_SECONDS = 180


def run(args, conf, db):
    registry, clock, meter = odoo_bench.start(conf, db, args.time_scale)
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.addons.xero_connector.xero import client as xero_client

    rng = random.Random(13)
    key = "bench-webhook-key-%032x" % rng.getrandbits(128)
    fakes, server = [], None
    try:
        started = time.monotonic()
        proc, url, tenant = start_fake(clock, contacts=args.contacts + DECOYS, invoices=args.invoices, big_customer=0)
        fakes.append(proc)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            odoo_bench.new_zealand(env)
            connection = odoo_bench.connect(env, url, contacts_linked_at=odoo.fields.Datetime.now(), webhook_key=key)
            connection_id, token = connection.id, connection.webhook_token
            for xmlid in ("ir_cron_xero_push", "ir_cron_xero_pull", "ir_cron_xero_invoices_pull"):
                env.ref("xero_connector." + xmlid).active = False  # nothing else may read meanwhile
            linked = range(0, args.contacts, 2)
            partners = env["res.partner"].create([{
                "name": "Xero Customer %06d" % i, "is_company": True, "email": "customer%06d@example.com" % i}
                for i in linked])
            env["xero.partner.link"].create([{
                "partner_id": partner.id, "connection_id": connection_id, "xero_contact_id": contact_id(i),
                "state": "synced", "last_sync": odoo.fields.Datetime.now()} for i, partner in zip(linked, partners)])
            cr.commit()
            with connection._xero_session() as client:
                invoices = [r["InvoiceID"].lower() for r in client.iter_records("Invoices", page_size=1000)]
                notes = [r["CreditNoteID"].lower() for r in client.iter_records("CreditNotes", page_size=1000)]
            cr.commit()
        pools = {"CONTACT": [contact_id(i) for i in range(args.contacts)], "INVOICE": invoices, "CREDITNOTE": notes}
        decoys = [contact_id(i) for i in range(args.contacts, args.contacts + DECOYS)]
        log("fake organisation with %d contacts (%d linked to Odoo customers), %d invoices and %d credit notes ready "
            "in %.1f s" % (args.contacts + DECOYS, len(linked), len(invoices), len(notes), time.monotonic() - started))

        # -- deliveries -----------------------------------------------------------------------
        jobs, stored = traffic(args, rng, tenant, key, pools, decoys, clock.now())
        delivered = collections.defaultdict(set)
        for category, resource_id, _type, _when in stored:
            delivered[category].add(resource_id)
        distinct = sum(len(ids) for ids in delivered.values())
        port = free_port()
        path = "/xero_connector/webhook/" + token
        started = time.monotonic()
        server = start_server(conf, db, port, args.workers, path, key)
        log("odoo-bin serving %s on port %d (%s) in %.1f s" % (
            db, port, "%d workers" % args.workers if args.workers else "threaded", time.monotonic() - started))
        started = time.monotonic()
        answers = send(port, path, jobs, args.threads)
        seconds = time.monotonic() - started
        server_peak = child_peak_rss_mb(server.pid)
        odoo_bench.stop_process(server)
        inside = server_times(server.log_path, server.log_start)
        server = None

        ok = True
        sent = [(kind, status, ms, body) for (kind, _body, _headers), (status, ms, body) in zip(jobs, answers)]
        valid = [(ms, status, body) for kind, status, ms, body in sent if kind == "valid"]
        forged = [(kind, status) for kind, status, _ms, _body in sent if kind != "valid"]
        slowest = max(range(len(valid)), key=lambda n: valid[n][0]) + 1 if valid else 0
        latencies = sorted(ms for ms, _status, _body in valid)
        p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
        wrong = [(status, body[:80]) for _ms, status, body in valid if (status, body) != (200, b"")]
        refused = sum(1 for _kind, status in forged if status == 401)
        log("%d deliveries (%d replays) of %d events and %d forged ones (%s) from %d threads in %.1f s: valid ones "
            "answered in p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (the %s sent); %d answered other than "
            "200 and an empty body; forged ones: %s; peak RSS of the server %.0f MB" % (
                len(valid), args.replays, args.events, len(forged),
                ", ".join("%d %s" % (n, k) for k, n in sorted(collections.Counter(k for k, _s in forged).items())),
                args.threads, seconds, p50, percentile(latencies, 90), p99, latencies[-1], ordinal(slowest), len(wrong),
                ", ".join("%d answered %s" % (n, s) for s, n in sorted(collections.Counter(
                    s for _k, s in forged).items(), key=str)), server_peak))
        if inside:
            log("inside the server (its request log), for the deliveries answered 200: p50 %.1f ms, p99 %.1f ms; "
                "SQL %d queries and %.1f ms (p50), %.1f ms (p99); the rest p50 %.1f ms, p99 %.1f ms; the time not "
                "inside (waiting for a thread, the connection, the client): %.1f ms at the p50" % (
                    percentile(inside["total"], 50), percentile(inside["total"], 99),
                    percentile(inside["queries"], 50), percentile(inside["sql"], 50), percentile(inside["sql"], 99),
                    percentile(inside["rest"], 50), percentile(inside["rest"], 99),
                    p50 - percentile(inside["total"], 50)))
            if inside["retries"]:
                log("requests run again after a concurrent update: %d (%s)" % (
                    len(inside["retries"]), "; ".join(sorted(set(inside["retries"]))[:3])))
        if wrong:
            log("ERROR: valid deliveries answered %s" % collections.Counter(wrong).most_common(3))
            ok = False
        with registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM xero_webhook_event WHERE connection_id = %s", (connection_id,))
            rows = cr.fetchone()[0]
        missing = max(len(stored) - rows, 0)
        log("events stored: %d (%d distinct events delivered, over %d distinct records: %s)" % (
            rows, len(stored), distinct, ", ".join("%d %s" % (len(ids), c) for c, ids in sorted(delivered.items()))))
        if rows > len(stored):
            log("ERROR: %d events stored more than once" % (rows - len(stored)))
            ok = False

        # -- pull -----------------------------------------------------------------------------
        asked, read = watch_reads(xero_client.XeroClient)
        meter.reset()
        peak_reset = reset_peak_rss()
        started, xero_started = time.monotonic(), clock.now()

        def said(run, done, seconds):
            if args.verbose:
                log("  run %d: %d events handled in %.1f s, %d calls so far" % (run, done, seconds, len(meter.calls)))

        runs = pull(registry, connection_id, said)
        pull_rss = peak_rss_mb() if peak_reset else rss_mb()
        reads = [c for c in meter.calls if c[0].startswith("GET ")]
        read_calls = len(reads)
        log("pull: %d scheduled-action runs in %.1f s real (%.2f Xero minutes) of which %.1f s inside Xero calls, "
            "%d calls (%d reads: %s), %d HTTP 429, peak RSS %.0f MB" % (
                runs, time.monotonic() - started, (clock.now() - xero_started) / 60.0, meter.inside,
                len(meter.calls), read_calls, by_operation(reads), sum(1 for c in meter.calls if c[1] == 429),
                pull_rss))

        with registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM xero_webhook_event WHERE connection_id = %s AND state <> 'done'",
                       (connection_id,))
            unread_events = cr.fetchone()[0]
            cr.execute("SELECT lower(xero_contact_id) FROM xero_partner_link WHERE connection_id = %s",
                       (connection_id,))
            customers = {row[0] for row in cr.fetchall()}
            cr.execute("SELECT lower(xero_invoice_id) FROM xero_invoice WHERE connection_id = %s", (connection_id,))
            mirrored = {row[0] for row in cr.fetchall()}
        not_read = sum(len(ids - read[COLLECTION[c]]) for c, ids in delivered.items())
        not_in_odoo = len(delivered["CONTACT"] - customers) + len(
            (delivered["INVOICE"] | delivered["CREDITNOTE"]) - mirrored)
        twice = sum(1 for n in collections.Counter(asked).values() if n > 1)
        decoys_read = len(set(decoys) & {i for _kind, i in asked})
        lost = not_read + unread_events + missing + not_in_odoo
        log("after the pull: %d records delivered not read, %d events not marked read, %d events not stored, %d "
            "records not in Odoo (contacts without a customer, documents not in the receivables mirror); %d records "
            "read more than once, %d named by forged deliveries read" % (
                not_read, unread_events, missing, not_in_odoo, twice, decoys_read))
        if lost or twice or decoys_read:
            log("ERROR: not every delivery was read once")
            ok = False
        bound = math.ceil(distinct / 50) + runs
        for name, met, detail in (
                ("p99_ms < %d" % P99_MS, p99 < P99_MS, "%.1f" % p99),
                ("read_calls <= ceil(distinct_ids / 50) + runs = %d" % bound, read_calls <= bound, read_calls),
                ("forged_401 = %d" % len(forged), refused == len(forged), refused),
                ("lost = 0", not lost, lost)):
            log("target %s: %s" % (name, "met" if met else "MISSED (%s)" % detail))
        log("deliveries=%d events=%d distinct_ids=%d p50_ms=%.1f p99_ms=%.1f forged_401=%d/%d read_calls=%d runs=%d "
            "lost=%d peak_rss_mb=%.1f" % (len(valid), len(valid) * args.events, distinct, p50, p99, refused,
                                          len(forged), read_calls, runs, lost, pull_rss))
        return 0 if ok and refused == len(forged) else 1
    finally:
        odoo_bench.stop(([server] if server else []) + fakes, db)


def traffic(args, rng, tenant, key, pools, decoys, now):
    """The deliveries to send, in order: [(kind, body, headers)] with kind "valid" or how it is
    forged; and the distinct events of the valid ones {(category, id, type, time)}."""
    from odoo.addons.xero_connector.xero_sandbox import webhooks as deliveries
    categories = sorted(pools)
    weights = [len(pools[c]) for c in categories]
    first = datetime.datetime.fromtimestamp(now - 3600, datetime.timezone.utc)
    originals, stored, sequence = [], set(), 1
    for _n in range(args.deliveries - args.replays):
        events = []
        for category in rng.choices(categories, weights, k=args.events):
            resource_id = rng.choice(pools[category])
            kind = "CREATE" if rng.random() < 0.1 else "UPDATE"
            when = first + datetime.timedelta(milliseconds=sequence)  # each event a change of its own
            events.append(deliveries.event(tenant, category, resource_id, kind, when))
            stored.add((category, resource_id, kind, when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]))
            sequence += 1
        body, headers = deliveries.delivery(events, key, sequence=sequence - len(events))
        originals.append(("valid", body, headers))
    # The order they are sent: replays some deliveries after their first sending, forged ones anywhere.
    order = [(n, job) for n, job in enumerate(originals)]
    order += [(n + rng.uniform(1, 50), originals[n]) for n in rng.sample(range(len(originals)), args.replays)]
    for n in range(args.forged):
        events = [deliveries.event(tenant, "CONTACT", rng.choice(decoys)) for _e in range(args.events)]
        how = ("forged", "unsigned", "altered")[n % 3]
        body, headers = deliveries.delivery(events, key, signed_with=key[::-1] if how == "forged" else None)
        if how == "unsigned":
            headers = {"Content-Type": "application/json"}
        elif how == "altered":  # a valid signature of another body
            body = body.replace(b'"UPDATE"', b'"DELETE"', 1)
        order.append((rng.uniform(0, len(originals)), (how, body, headers)))
    order.sort(key=lambda pair: pair[0])
    return [job for _n, job in order], stored


def send(port, path, jobs, threads):
    """Post every job from ``threads`` threads at once, a new connection each; returns
    [(status, milliseconds, body)] in the order of ``jobs``."""
    answers = [None] * len(jobs)
    pending = iter(range(len(jobs)))
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                n = next(pending, None)
            if n is None:
                return
            _kind, body, headers = jobs[n]
            answers[n] = post(port, path, body, headers)

    workers = [threading.Thread(target=worker) for _t in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return answers


def post(port, path, body, headers):
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        status, content = response.status, response.read()
    except OSError as exc:
        status, content = None, str(exc).encode()
    finally:
        connection.close()
    return status, (time.perf_counter() - started) * 1000.0, content


def ordinal(n):
    return "%d%s" % (n, "th" if 10 <= n % 100 < 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


def percentile(values, percent):
    """The nearest-rank percentile of sorted ``values``."""
    return values[max(math.ceil(len(values) * percent / 100.0) - 1, 0)] if values else 0.0


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(conf, db, port, workers, path, key):
    """odoo-bin serving ``db`` alone on ``port`` with the bench's config, without cron threads;
    returns its process once a correctly signed probe (Xero's intent-to-receive check) gets 200."""
    from odoo.addons.xero_connector.xero_sandbox import webhooks as deliveries
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    folder = os.path.dirname(conf)
    parser["options"].update({
        "http_enable": "True", "http_interface": "127.0.0.1", "http_port": str(port), "db_name": db,
        "dbfilter": "^%s$" % re.escape(db), "max_cron_threads": "0", "workers": str(workers),
        "logfile": os.path.join(folder, "server.log"), "log_level": "warn",
        # A line per request, with its SQL time; and each retry of a request after a concurrent update.
        "log_handler": ":WARNING,werkzeug:INFO,odoo.service.model:INFO"})
    server_conf = os.path.join(folder, "server.conf")
    with open(server_conf, "w") as f:
        parser.write(f)
    server = subprocess.Popen([sys.executable, "-m", "odoo", "-c", server_conf], env=dict(os.environ, TZ="UTC"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    body, headers = deliveries.delivery([], key)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        status, _ms, _body = post(port, path, body, headers)
        if status == 200:
            for _n in range(20):  # every code path of a delivery once, outside the measure
                post(port, path, body, headers)
            server.log_path = os.path.join(folder, "server.log")
            server.log_start = os.path.getsize(server.log_path)
            return server
        time.sleep(0.5)
    odoo_bench.stop_process(server)
    with open(os.path.join(folder, "server.log")) as server_log:
        sys.exit("odoo-bin did not answer Xero's probe:\n" + server_log.read()[-3000:])


REQUEST_LINE = re.compile(r'"POST /xero_connector/webhook/\S+ HTTP/[\d.]+" 200 - (\d+) ([\d.]+) ([\d.]+)')


def server_times(log_path, start):
    """What Odoo's request log says of the deliveries answered 200 after ``start`` (bytes):
    {"queries", "sql", "rest", "total"} each sorted (milliseconds but for the queries), and
    "retries": the requests Odoo ran again after a concurrent update (their log lines)."""
    times = {"queries": [], "sql": [], "rest": [], "total": [], "retries": []}
    failed = "?"
    with open(log_path, errors="replace") as server_log:
        server_log.seek(start)
        for line in server_log:
            if "bad query: " in line:  # the statement that failed (the retry's line follows)
                failed = " ".join(line.split("bad query: ", 1)[1].replace("\\n", " ").lstrip("b'\"").split())[:60]
            if "tries left, try again in" in line:
                reason = line.split("odoo.service.model: ", 1)[-1].split(",")[0].strip()
                times["retries"].append("%s in: %s" % (reason, failed))
            found = REQUEST_LINE.search(line)
            if found:
                queries, sql, rest = int(found[1]), float(found[2]) * 1000, float(found[3]) * 1000
                for name, value in (("queries", queries), ("sql", sql), ("rest", rest), ("total", sql + rest)):
                    times[name].append(value)
    return {name: sorted(values) for name, values in times.items()} if times["total"] else None


def watch_reads(client_class):
    """Every id the client is asked to read by id [(collection, id)], and the ids of the records it
    read that way {collection: {id}}, from now on."""
    from odoo.addons.xero_connector.xero import kinds
    asked, read = [], collections.defaultdict(set)
    iter_records = client_class.iter_records

    def watched(client, kind_name, *args, ids=None, **kwargs):
        if ids is None:
            yield from iter_records(client, kind_name, *args, **kwargs)
            return
        ids = list(ids)
        asked.extend((kind_name, str(i).lower()) for i in ids)
        id_field = kinds.get(kind_name).id_field
        for record in iter_records(client, kind_name, *args, ids=ids, **kwargs):
            read[kind_name].add(str(record.get(id_field)).lower())
            yield record

    client_class.iter_records = watched
    return asked, read


def pull(registry, connection_id, on_run):
    """Run the webhooks' scheduled action as the cron runner does until no event of the connection
    waits (when Xero or the quota stop a run, the runner would come back at its retry time).
    Returns the runs."""
    runs = 0
    while True:
        more, _done = odoo_bench.cron_until_done(registry, CRON, "_cron_process", 100, on_run)
        runs += more
        with registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM xero_webhook_event WHERE connection_id = %s AND state = 'new'",
                       (connection_id,))
            waiting = cr.fetchone()[0]
        if not waiting:
            return runs
        if runs > 100:
            sys.exit("the webhooks' scheduled action does not progress (%d events wait)" % waiting)
        time.sleep(1.0)


def add_arguments(parser):
    parser.add_argument("--deliveries", type=int, default=1000, help="valid deliveries, replays included")
    parser.add_argument("--events", type=int, default=50, help="events per delivery")
    parser.add_argument("--replays", type=int, default=100, help="deliveries sent a second time")
    parser.add_argument("--forged", type=int, default=100, help="deliveries not signed with the key, besides")
    parser.add_argument("--contacts", type=int, default=1500, help="contacts the events name")
    parser.add_argument("--invoices", type=int, default=1500, help="invoices the events name (and their credit "
                                                                  "notes)")
    parser.add_argument("--threads", type=int, default=4, help="deliveries on their way at once")
    parser.add_argument("--workers", type=int, default=0, help="odoo-bin --workers (0: threaded)")
    parser.add_argument("-v", "--verbose", action="store_true", help="say each run of the pull")


if __name__ == "__main__":
    sys.exit(odoo_bench.main(__doc__.split("\n\n")[0], add_arguments, run))
