"""A fake Xero on 127.0.0.1 for every test class, and a connection pointed at it."""
import contextlib
import logging
import threading

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase

from odoo.addons.xero_connector.xero_sandbox import FakeXero, spec

CLIENT_ID = "CUSTOMCLIENTID0000000000000000001"
CLIENT_SECRET = "s3cr3t-custom-connection-secret-value"


def point_at(env, url):
    """Make the addon talk to the fake for all three Xero hosts."""
    for key in ("api_url", "identity_url", "login_url"):
        env["ir.config_parameter"].sudo().set_param("xero_connector." + key, url + "/")


@contextlib.contextmanager
def captured_server_log():
    """Every line the server logs meanwhile, at DEBUG level, formatted as in its log file."""
    lines = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler, root = Capture(logging.DEBUG), logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def assert_no_secret_in_database(case, secrets):
    """No text column of any table holds one of ``secrets`` in clear."""
    env = case.env
    env.flush_all()
    env.cr.execute("""
        SELECT c.table_name, c.column_name FROM information_schema.columns c
          JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
           AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea')""")
    columns = env.cr.fetchall()
    case.assertGreater(len(columns), 100)
    for table, column in columns:
        for secret in secrets:
            env.cr.execute('SELECT count(*) FROM "%s" WHERE "%s"::text LIKE %%s' % (table, column),
                           ("%" + secret + "%",))
            case.assertEqual(env.cr.fetchone()[0], 0, "%s.%s holds a secret in clear" % (table, column))


class FakeXeroMixin:
    """Starts a fake Xero for the class; after each test, every request the addon sent is
    checked against Xero's OpenAPI description (when ../shared/xero-openapi is there)."""

    @classmethod
    def start_fake_xero(cls, **kw):
        cls.fake = FakeXero(**kw)
        cls.fake_url = cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        cls._spec_checked = 0
        clear = cls.fake.reset_requests

        def reset_requests():
            """A test that clears the fake's request log still has every request checked."""
            cls._check_pending_requests()
            clear()
            cls._spec_checked = 0

        cls.fake.reset_requests = reset_requests
        cls.tenant_id = cls.fake.add_tenant("Demo Company (NZ)")
        cls.fake.add_app(CLIENT_ID, CLIENT_SECRET, tenants=[cls.tenant_id], custom=True)

    @classmethod
    def create_connection(cls, **values):
        """The main company's connection, pointed at the fake (in the test's transaction)."""
        point_at(cls.env, cls.fake_url)
        cls.connection = cls.env["xero.connection"].create(dict(
            {"name": "Demo", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}, **values))

    def setUp(self):
        super().setUp()
        if getattr(self, "fake", None) is not None:
            self.addCleanup(self._check_pending_requests)

    @classmethod
    def _check_pending_requests(cls):
        """Check the requests sent since the last check against Xero's OpenAPI description."""
        requests = cls.fake.requests
        if spec.spec_available():
            spec.validate_all(requests[cls._spec_checked:])
        cls._spec_checked = len(requests)


class XeroCase(FakeXeroMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_fake_xero()
        cls.create_connection()

    def connect(self):
        action = self.connection.action_connect()
        self.assertEqual(self.connection.state, "connected", action["params"]["message"])
        return action


class CommittedConnectionMixin(FakeXeroMixin):
    """For races: a company and its Xero connection committed in a transaction of their own,
    as the workers of a real server see them, and workers on cursors of their own.

    ``TransactionCase`` keeps a test inside one uncommitted transaction, which other cursors
    cannot see; what is created here is committed, and removed again after the test.
    """

    @contextlib.contextmanager
    def committed_env(self):
        """An environment on a new cursor, committed when the block ends."""
        with self.registry.cursor() as cr:
            # The registry at hand, not looked up by name: under odoo-bin the server holds the
            # registries' lock while it runs the tests, and a worker thread would wait for it.
            cr.transaction = api.Transaction(self.registry)
            yield api.Environment(cr, SUPERUSER_ID, {})

    @contextlib.contextmanager
    def committed_connection(self, **values):
        """Yields (env, connection) of a new company; all of it is committed at the end of the
        block. Partners to remove afterwards go into ``self.committed_partner_ids``."""
        with self.committed_env() as env:
            point_at(env, self.fake_url)
            company = env["res.company"].create({"name": "%s company" % type(self).__name__})
            connection = env["xero.connection"].create(dict(
                {"name": type(self).__name__, "company_id": company.id,
                 "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}, **values))
            self.company_id, self.connection_id, self.committed_partner_ids = company.id, connection.id, []
            self.addCleanup(self._drop_committed)
            yield env, connection

    def _drop_committed(self):
        with self.committed_env() as env:
            env["xero.connection"].browse(self.connection_id).unlink()
            env["xero.sync.log"].search([("company_id", "=", self.company_id)]).unlink()
            env["res.partner"].browse(self.committed_partner_ids).unlink()
            env["res.company"].browse(self.company_id).unlink()

    def stored(self, field):
        """A field of the connection as committed now."""
        with self.committed_env() as env:
            return env["xero.connection"].browse(self.connection_id)[field]

    def expire_access_token(self):
        with self.committed_env() as env:
            env.cr.execute("UPDATE xero_token SET expires_at = 0 WHERE connection_id = %s", (self.connection_id,))

    def in_workers(self, count, work):
        """Run ``work(connection)`` in ``count`` threads at once, each on its own cursor,
        committed as it ends; returns (results, errors)."""
        barrier = threading.Barrier(count)
        results, errors = [], []

        def worker():
            try:
                with self.committed_env() as env:
                    connection = env["xero.connection"].browse(self.connection_id)
                    barrier.wait()
                    results.append(work(connection))
            except Exception as exc:  # noqa: BLE001 - the test asserts on them
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return results, errors
