"""What the benchmarks that run through Odoo share: a scratch database (a throw-away PostgreSQL
cluster, or the server of an Odoo config file), the addon installed in it, fake Xero
organisations in child processes on a scaled clock, and the meters.

A benchmark script calls ``main(description, add_arguments, run)``; ``run(args, conf, db)``
gets a database with xero_connector installed, dropped afterwards unless --keep.
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
CHUNK = 1000  # records created in one transaction


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
def start_fake(clock, contacts=0, items=0, **options):
    """A fake Xero organisation in a child process (bench/fake_xero.py) on ``clock``, holding
    ``contacts`` contacts and ``items`` items already, and what ``options`` ask of fake_xero.py
    (``invoices=N`` is ``--invoices N``); returns (process, url, tenant id). Every field of the
    line it starts with is ``process.fields``."""
    extra = [arg for key, value in options.items() for arg in ("--" + key.replace("_", "-"), str(value))]
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "fake_xero.py"), "--time-scale", str(clock.scale), "--epoch",
         repr(clock.epoch), "--contacts", str(contacts), "--items", str(items), "--client-id", CLIENT_ID,
         "--client-secret", CLIENT_SECRET] + extra, stdout=subprocess.PIPE, text=True)
    fields = dict(part.split("=", 1) for part in proc.stdout.readline().split())
    if "FAKE_XERO_URL" not in fields:
        proc.wait(timeout=10)
        sys.exit("the fake Xero did not start")
    proc.fields = fields
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


def push_until_done(registry, clock, meter, sync_object, link_table, expected):
    """Run the engine's push scheduled action for ``sync_object`` as the cron runner runs it (one
    batch a call, committed) until no link of ``link_table`` is pending; log what it took.
    Returns (synced links, write calls, HTTP 429s, SQL queries of every cursor of this process)."""
    from odoo import sql_db
    meter.reset()
    queries = sql_db.sql_counter
    started, xero_started = time.monotonic(), clock.now()
    runs = cron_push_until_done(registry, [sync_object], link_table, 10 * (expected // 1000 + 10))
    queries = sql_db.sql_counter - queries
    with registry.cursor() as cr:
        cr.execute("SELECT state, count(*) FROM %s GROUP BY state" % link_table)
        states = dict(cr.fetchall())
    writes = [c for c in meter.calls if c[0].startswith(("PUT ", "POST "))]
    http_429 = sum(1 for c in meter.calls if c[1] == 429)
    log("push: %s in %.1f s real (%.2f Xero minutes), %d scheduled-action runs, %d calls (%d writes, %d reads), "
        "%d queries, peak RSS %.0f MB" % (states, time.monotonic() - started, (clock.now() - xero_started) / 60.0,
                                          runs, len(meter.calls), len(writes), len(meter.calls) - len(writes),
                                          queries, rss_mb()))
    synced = states.get("synced", 0)
    if synced != expected:
        log("ERROR: %d of %d were not synced" % (expected - synced, expected))
    return synced, len(writes), http_429, queries


def cron_push_until_done(registry, objects, link_table, max_runs):
    """Run the engine's push scheduled action for ``objects`` as the cron runner runs it (one
    batch a call, committed) until no link of ``link_table`` is pending. Returns the runs."""
    from odoo import SUPERUSER_ID, api
    runs = 0
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            done = env["xero.sync.state"]._cron_push(objects)
            cr.commit()
            cr.execute("SELECT count(*) FROM %s WHERE state = 'pending'" % link_table)
            pending = cr.fetchone()[0]
        runs += 1
        if not pending:
            return runs
        if not done:
            time.sleep(1.0)  # quota: the cron would come back at retry time
        if runs > max_runs:
            sys.exit("the push does not progress (%d pending)" % pending)


def pull_new_organisation(registry, clock, meter, connection_id, sync_type, fakes, on_page=None, **records):
    """Move the connection to a new fake organisation holding ``records`` (``contacts=M`` or
    ``items=M``; the watermark starts again with the organisation) and run the engine's pull of
    ``sync_type`` until everything is read, committed. Returns (records read, seconds, seconds
    spent inside Xero calls, Xero calls, HTTP 429s)."""
    from odoo import SUPERUSER_ID, api
    from odoo.addons.xero_connector.sync.engine import pull
    started = time.monotonic()
    proc, url, _tenant = start_fake(clock, **records)
    fakes.append(proc)
    log("second organisation with %s ready in %.1f s" % (
        ", ".join("%d %s" % (count, kind) for kind, count in records.items()), time.monotonic() - started))
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        move_connection(env, env["xero.connection"].browse(connection_id), url)
    meter.reset()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.monotonic()
        read = pull.pull(sync_type(env["xero.connection"].browse(connection_id)), on_page=on_page).done
        cr.commit()
        seconds = time.monotonic() - started
    return read, seconds, meter.inside, len(meter.calls), sum(1 for c in meter.calls if c[1] == 429)


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _status_mb(key, pid="self"):
    try:
        with open("/proc/%s/status" % pid) as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:  # the process has ended
        pass
    return 0.0


def current_rss_mb():
    """The process's resident memory now (the peak, ``rss_mb``, may be an earlier phase's)."""
    return _status_mb("VmRSS")


def reset_peak_rss():
    """Make the process's peak RSS (VmHWM) start again from now; False where Linux does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb():
    """The process's peak RSS since ``reset_peak_rss``."""
    return _status_mb("VmHWM")


def child_peak_rss_mb(pid):
    """The peak RSS of another process of ours (a server the benchmark started), while it runs."""
    return _status_mb("VmHWM", pid)


def by_operation(calls):
    """"20 PUT Invoices, 1 GET Quotes": the Meter's calls counted by operation."""
    counts = {}
    for operation, _status in calls:
        counts[operation] = counts.get(operation, 0) + 1
    return ", ".join("%d %s" % (n, op) for op, n in sorted(counts.items())) or "none"


def cron_until_done(registry, xml_id, method, max_runs, on_run=None):
    """Run a scheduled action's method as the cron runner does (its progress record, each run
    committed) while it reports work remaining. ``on_run(run, done, seconds)`` after each run.
    Returns (runs, records done)."""
    from odoo import SUPERUSER_ID, api
    runs = total = 0
    while True:
        run_started = time.monotonic()
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cron, progress = env.ref(xml_id)._add_progress()
            cr.commit()
            done = getattr(env[cron.model_id.model].with_context(cron.env.context), method)()
            cr.commit()
            remaining = progress.remaining
        runs += 1
        total += done
        if on_run:
            on_run(runs, done, time.monotonic() - run_started)
        if not remaining:
            return runs, total
        if runs > max_runs:
            sys.exit("the %s scheduled action does not progress" % xml_id)


def main(description, add_arguments, run, argv=None):
    parser = argparse.ArgumentParser(description=description)
    add_arguments(parser)
    parser.add_argument("--time-scale", type=float, default=10.0)
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


def registry(conf, db):
    """Odoo's registry of ``db``, in this process."""
    import odoo
    odoo.tools.config.parse_config(["-c", conf, "-d", db])
    from odoo.modules.registry import Registry
    return Registry(db)


def start(conf, db, time_scale):
    """What a benchmark's ``run`` starts with: (the registry of ``db``, the clock ``time_scale``
    times faster than real time, the meter on the addon's Xero client)."""
    odoo_registry = registry(conf, db)
    from odoo.addons.xero_connector.xero import client as xero_client
    return odoo_registry, scale_clock(time_scale), Meter(xero_client.XeroClient)


def stop(processes, db):
    """What a benchmark's ``run`` ends with, however it ends: the child processes it started (the
    fakes, a server) stopped, and this process's connections to ``db`` closed (so that it can be
    dropped)."""
    from odoo import sql_db
    for proc in processes:
        stop_process(proc)
    sql_db.close_db(db)


def stop_process(proc):
    """Stop a child process: asked first, killed if it does not stop within 30 s."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def scale_clock(time_scale):
    """A clock ``time_scale`` times faster than real time, shared by the addon and the fakes."""
    from odoo.addons.xero_connector.xero.clock import REAL_CLOCK, Clock
    clock = Clock(time_scale)
    # The addon reads time through this one clock: make it the fakes' (same epoch and scale).
    REAL_CLOCK.scale, REAL_CLOCK.epoch = clock.scale, clock.epoch
    return clock


def new_zealand(env):
    """The main company as the fake organisation is: a New Zealand one in NZD (a currency Xero
    has not enabled would stop every document)."""
    nzd = env.ref("base.NZD")
    nzd.active = True
    env.ref("base.main_company").write({"country_id": env.ref("base.nz").id, "currency_id": nzd.id})


def connect(env, url, name="Bench", **values):
    """The main company's connection to the fake at ``url``, connected."""
    point_at(env, url)
    connection = env["xero.connection"].create(dict({
        "name": name, "company_id": env.ref("base.main_company").id, "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET}, **values))
    connection.action_connect()
    assert connection.state == "connected", connection.last_error
    return connection


def move_connection(env, connection, url):
    """Point ``connection`` at another fake organisation (its records are read from the start)."""
    connection.action_disconnect()
    point_at(env, url)
    connection.action_connect()
    assert connection.state == "connected", connection.last_error
