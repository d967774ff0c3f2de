"""A fake Xero on 127.0.0.1 for every test class, and a connection pointed at it."""
import contextlib
import logging

from odoo.tests import TransactionCase

from odoo.addons.xero_connector.xero.sandbox import FakeXero, spec

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
        cls.tenant_id = cls.fake.add_tenant("Demo Company (NZ)")
        cls.fake.add_app(CLIENT_ID, CLIENT_SECRET, tenants=[cls.tenant_id], custom=True)

    def setUp(self):
        super().setUp()
        if getattr(self, "fake", None) is not None and spec.spec_available():
            self.addCleanup(self._check_requests_against_spec)

    def _check_requests_against_spec(self):
        requests = self.fake.requests
        spec.validate_all(requests[type(self)._spec_checked:])
        type(self)._spec_checked = len(requests)


class XeroCase(FakeXeroMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_fake_xero()
        point_at(cls.env, cls.fake_url)
        cls.connection = cls.env["xero.connection"].create({
            "name": "Demo",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        })

    def connect(self):
        action = self.connection.action_connect()
        self.assertEqual(self.connection.state, "connected", action["params"]["message"])
        return action
