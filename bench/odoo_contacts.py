#!/usr/bin/env python3
"""Contacts through Odoo against a fake Xero with Xero's real limits, on a scaled clock.

    /opt/odoo18/venv/bin/python bench/odoo_contacts.py --partners 10000 --time-scale 10 [--pull 100000]

Run it with the Odoo Python. It makes a scratch database (dropped at the end unless --keep):
    -c CONF            use the PostgreSQL server and addons path of this Odoo config file
    --template DB      copy DB (it must have sale_management and account) instead of installing them
    (neither)          a throw-away PostgreSQL cluster in a temporary folder, as bin/test does
    --db-host/--db-port/--db-user   override the config's database server
Then xero_connector is installed (or updated) in it with odoo-bin, and the rest runs in this process.

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
import argparse
import glob
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"
CHUNK = 1000


def log(message):
    print(message, flush=True)


# -- database server --------------------------------------------------------------------------
class Cluster:
    """A throw-away PostgreSQL cluster (socket only), as bin/test makes one."""

    def __init__(self):
        bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
        found = [d for d in bindirs if os.path.exists(os.path.join(d, "initdb"))]
        initdb = shutil.which("initdb")
        self.bindir = found[0] if found else (os.path.dirname(initdb) if initdb else None)
        if not self.bindir:
            sys.exit("no PostgreSQL server binaries found: give -c CONF (or --db-host) instead")
        self.dir = tempfile.mkdtemp(prefix="xero-bench-pg-")
        os.chmod(self.dir, 0o755)
        self.data, self.sock = os.path.join(self.dir, "data"), os.path.join(self.dir, "sock")
        os.makedirs(self.sock)
        self._as_pg(["chown", "-R", "postgres:", self.dir] if os.getuid() == 0 else ["true"], root=True)
        self._as_pg([os.path.join(self.bindir, "initdb"), "-D", self.data, "-A", "trust", "-U", "odoo",
                     "-E", "UTF8", "--no-sync"])
        self._as_pg([os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-w", "-l",
                     os.path.join(self.dir, "pg.log"), "-o",
                     "-p 5432 -k %s -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                     "-c full_page_writes=off" % self.sock, "start"])

    def _as_pg(self, cmd, root=False):
        if os.getuid() == 0 and not root:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def stop(self):
        try:
            self._as_pg([os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def addons_link():
    """Odoo finds the module by its folder name: a symlink named xero_connector."""
    folder = tempfile.mkdtemp(prefix="xero-bench-addons-")
    os.symlink(ROOT, os.path.join(folder, "xero_connector"))
    return folder


def write_conf(args, cluster, link_dir):
    import odoo.release
    src = os.path.dirname(os.path.dirname(os.path.abspath(odoo.release.__file__)))
    core = [p for p in (os.path.join(src, "addons"), os.path.join(src, "odoo", "addons")) if os.path.isdir(p)]
    options = {}
    if args.config:
        import configparser
        parser = configparser.ConfigParser()
        parser.read(args.config)
        options = dict(parser["options"]) if parser.has_section("options") else {}
    paths = [link_dir] + [p.strip() for p in options.get("addons_path", ",".join(core)).split(",")
                          if p.strip() and not os.path.exists(os.path.join(p.strip(), "xero_connector"))]
    options.update({"addons_path": ",".join(paths), "http_enable": "False", "max_cron_threads": "0",
                    "data_dir": tempfile.mkdtemp(prefix="xero-bench-data-"), "log_level": "warn",
                    "db_name": "", "dbfilter": ""})
    if cluster:
        options.update({"db_host": cluster.sock, "db_port": "5432", "db_user": "odoo", "db_password": ""})
    for key in ("db_host", "db_port", "db_user"):
        if getattr(args, key):
            options[key] = str(getattr(args, key))
    path = os.path.join(link_dir, "bench.conf")
    with open(path, "w") as f:
        f.write("[options]\n" + "".join("%s = %s\n" % kv for kv in options.items()))
    return path, options


def pg_cmd(options, tool, *args):
    exe = shutil.which(tool) or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/" + tool), reverse=True)), tool)
    cmd = [exe]
    for flag, key in (("-h", "db_host"), ("-p", "db_port"), ("-U", "db_user")):
        if options.get(key) and options[key] != "False":
            cmd += [flag, options[key]]
    env = dict(os.environ)
    if options.get("db_password") and options["db_password"] != "False":
        env["PGPASSWORD"] = options["db_password"]
    return subprocess.run(cmd + list(args), env=env, capture_output=True, text=True)


def make_database(args, conf, options, db):
    started = time.monotonic()
    odoo_bin = [sys.executable, "-m", "odoo"]
    if args.template:
        result = pg_cmd(options, "createdb", "-T", args.template, db)
        if result.returncode:
            sys.exit("createdb failed: " + result.stderr)
        install = ["-i", "xero_connector", "-u", "xero_connector"]
    else:
        install = ["-i", "sale_management,account,xero_connector", "--without-demo=all"]
    result = subprocess.run(odoo_bin + ["-c", conf, "-d", db, "--stop-after-init", "--no-http"] + install,
                            capture_output=True, text=True, env=dict(os.environ, TZ="UTC"))
    if result.returncode:
        sys.exit("installing xero_connector failed:\n" + result.stderr[-3000:])
    log("database %s ready in %.1f s" % (db, time.monotonic() - started))


# -- fake Xero --------------------------------------------------------------------------------
def start_fake(clock, contacts=0):
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "fake_xero.py"), "--time-scale", str(clock.scale), "--epoch",
         repr(clock.epoch), "--contacts", str(contacts), "--client-id", CLIENT_ID, "--client-secret",
         CLIENT_SECRET], stdout=subprocess.PIPE, text=True)
    fields = dict(part.split("=", 1) for part in proc.stdout.readline().split())
    return proc, fields["FAKE_XERO_URL"], fields["TENANT_ID"]


def point_at(env, url):
    for key in ("api_url", "identity_url", "login_url"):
        env["ir.config_parameter"].sudo().set_param("xero_connector." + key, url + "/")


# -- measures ---------------------------------------------------------------------------------
class Meter:
    """Every Xero exchange (operation, HTTP status) and the time spent inside client calls."""

    def __init__(self, client_class):
        self.calls, self.inside = [], 0.0
        meter, report, call = self, client_class._report, client_class._call

        def _report(client, operation, status, *a, **kw):
            meter.calls.append((operation, status))
            return report(client, operation, status, *a, **kw)

        def _call(client, *a, **kw):
            started = time.monotonic()
            try:
                return call(client, *a, **kw)
            finally:
                meter.inside += time.monotonic() - started

        client_class._report, client_class._call = _report, _call

    def reset(self):
        self.calls, self.inside = [], 0.0


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run(args, conf, db):
    import odoo
    from odoo import SUPERUSER_ID, api, sql_db
    odoo.tools.config.parse_config(["-c", conf, "-d", db])
    from odoo.modules.registry import Registry
    registry = Registry(db)
    from odoo.addons.xero_connector.sync import contact_pull
    from odoo.addons.xero_connector.xero import client as xero_client
    from odoo.addons.xero_connector.xero.clock import REAL_CLOCK, Clock

    clock = Clock(args.time_scale)
    # The addon reads time through this one clock: make it the fake's (same epoch and scale).
    REAL_CLOCK.scale, REAL_CLOCK.epoch = clock.scale, clock.epoch
    meter = Meter(xero_client.XeroClient)
    fakes = []
    try:
        proc, url, _tenant = start_fake(clock)
        fakes.append(proc)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            point_at(env, url)
            company = env.ref("base.main_company")
            connection = env["xero.connection"].create({
                "name": "Bench", "company_id": company.id, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "contacts_linked_at": odoo.fields.Datetime.now()})
            connection.action_connect()
            assert connection.state == "connected", connection.last_error
            connection_id = connection.id
            nz = env.ref("base.nz").id
            cron = env.ref("xero_connector.ir_cron_xero_contacts_push")
            cron.active = False  # nothing else may run it meanwhile (no cron threads anyway)
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
        meter.reset()
        queries = sql_db.sql_counter
        started, xero_started = time.monotonic(), clock.now()
        runs = 0
        while True:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                done = env["xero.partner.link"]._cron_push_contacts()
                cr.commit()
                cr.execute("SELECT count(*) FROM xero_partner_link WHERE state = 'pending'")
                pending = cr.fetchone()[0]
            runs += 1
            if not pending:
                break
            if not done:
                time.sleep(1.0)  # quota: the cron would come back at retry time
            if runs > 10 * (args.partners // 1000 + 10):
                sys.exit("the push does not progress (%d pending)" % pending)
        queries = sql_db.sql_counter - queries
        push_seconds = time.monotonic() - started
        with registry.cursor() as cr:
            cr.execute("SELECT state, count(*) FROM xero_partner_link GROUP BY state")
            states = dict(cr.fetchall())
        writes = [c for c in meter.calls if c[0].startswith(("PUT ", "POST "))]
        http_429 = sum(1 for c in meter.calls if c[1] == 429)
        log("push: %s in %.1f s real (%.2f Xero minutes), %d scheduled-action runs, %d calls (%d writes, %d reads), "
            "%d queries, peak RSS %.0f MB" % (states, push_seconds, (clock.now() - xero_started) / 60.0, runs,
                                              len(meter.calls), len(writes), len(meter.calls) - len(writes),
                                              queries, rss_mb()))
        if states.get("synced", 0) != args.partners:
            log("ERROR: not every partner was synced")
        push_ok = states.get("synced", 0) == args.partners

        # -- pull ---------------------------------------------------------------------------
        pull_rate = 0.0
        if args.pull:
            started = time.monotonic()
            proc, url, _tenant = start_fake(clock, args.pull)
            fakes.append(proc)
            log("second organisation with %d contacts ready in %.1f s" % (args.pull, time.monotonic() - started))
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                connection = env["xero.connection"].browse(connection_id)
                connection.action_disconnect()
                point_at(env, url)
                connection.action_connect()
                assert connection.state == "connected", connection.last_error
                connection.xero_contacts_pulled_at = False
            meter.reset()
            total_calls_429 = http_429
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                connection = env["xero.connection"].browse(connection_id)
                started = time.monotonic()
                progress = {"at": started}

                def on_page(done):
                    if done % 20000 == 0:
                        log("  pulled %d in %.0f s" % (done, time.monotonic() - progress["at"]))

                read, _more = contact_pull.pull(connection, on_page=on_page)
                cr.commit()
                pull_seconds = time.monotonic() - started
                cr.execute("SELECT count(*) FROM xero_partner_link WHERE connection_id = %s AND state = 'synced'",
                           (connection_id,))
                linked = cr.fetchone()[0]
                cr.execute("SELECT count(DISTINCT xero_contact_id) FROM xero_partner_link WHERE connection_id = %s",
                           (connection_id,))
                distinct = cr.fetchone()[0]
            odoo_seconds = pull_seconds - meter.inside
            # Distinct contacts now in Odoo, not contacts read: the pull re-reads the last second
            # of each page on purpose, and those re-reads must not flatter the rate.
            pull_rate = distinct / odoo_seconds if odoo_seconds > 0 else 0.0
            http_429 = total_calls_429 + sum(1 for c in meter.calls if c[1] == 429)
            log("pull: %d contacts read (re-reads included), %d distinct contacts linked, %d synced links, "
                "%.1f s real of which %.1f s inside Xero calls (%d calls): %.0f distinct records/s in Odoo, "
                "peak RSS %.0f MB"
                % (read, distinct, linked, pull_seconds, meter.inside, len(meter.calls), pull_rate, rss_mb()))
            push_ok = push_ok and distinct >= args.pull
        log("partners=%d write_calls=%d http_429=%d sql_per_partner=%.2f pull_records_per_s=%.0f peak_rss_mb=%.1f"
            % (args.partners, len(writes), http_429, queries / max(args.partners, 1), pull_rate, rss_mb()))
        return 0 if push_ok else 1
    finally:
        for proc in fakes:
            proc.terminate()
            proc.wait(timeout=10)
        sql_db.close_db(db)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--time-scale", type=float, default=10.0)
    parser.add_argument("--pull", type=int, default=0, help="contacts in the organisation to pull (0: no pull)")
    parser.add_argument("-c", "--config", help="Odoo config file: its database server and addons path")
    parser.add_argument("--template", help="database to copy (with sale_management and account installed)")
    parser.add_argument("--db-host")
    parser.add_argument("--db-port")
    parser.add_argument("--db-user")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)

    cluster = None if (args.config or args.db_host) else Cluster()
    link_dir = addons_link()
    db = "xero_bench_%d" % os.getpid()
    options = {}
    try:
        conf, options = write_conf(args, cluster, link_dir)
        make_database(args, conf, options, db)
        return run(args, conf, db)
    finally:
        if not args.keep and options:
            pg_cmd(options, "dropdb", "--if-exists", db)
        if cluster:
            cluster.stop()
        shutil.rmtree(link_dir, ignore_errors=True)
        shutil.rmtree(options.get("data_dir") or "/nonexistent", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
