"""``FakeXero``: the facade tests, benchmarks and the demo use.

It wires the parts (tenants, identity, rate limits, faults, idempotency, request log) and
runs the HTTP server on 127.0.0.1 in a daemon thread. All time comes from one ``Clock``, so
a client built on the same clock (same epoch and scale) agrees on token expiry, rate
windows, Retry-After and UpdatedDateUTC.
"""
import signal
import threading
import urllib.error
import urllib.request

from . import creditnotes, documents, invoices, items, listing, payments, quotes
from .accounting import build_router
from .shared import Clock
from .faults import Faults
from .identity import DEFAULT_SCOPES, Identity
from .idempotency import IdempotencyStore
from .ratelimit import RateLimiter
from .recording import RequestLog
from .server import serve
from .state import Store
from .webhooks import Subscription


class FakeXero:
    def __init__(self, clock=None, minute_limit=60, concurrent_limit=5, day_limit=5000,
                 app_minute_limit=10000, latency=0.0):
        self.clock = clock or Clock()
        self.latency = latency          # clock seconds slept inside each API call
        self.store = Store(self.clock)
        self.identity = Identity(self.clock, self.store)
        self.limiter = RateLimiter(self.clock, minute_limit, concurrent_limit, day_limit,
                                   app_minute_limit)
        self.faults = Faults()
        self.idempotency = IdempotencyStore(self.clock)
        self.webhooks = []  # at most one subscription (add_webhook)
        self.router = build_router()
        self.log = RequestLog()
        self._server = None
        self._thread = None
        self.url = None

    # -- lifecycle -----------------------------------------------------------------------
    def start(self, host="127.0.0.1", port=0):
        if self._server is None:
            self._server, self._thread = serve(self, host, port)
            self.url = "http://%s:%d" % (host, self._server.server_address[1])
        return self.url

    def add_webhook(self, url, key, interval=1.0):
        """Post the organisations' changes of contacts, invoices and credit notes to ``url``,
        signed with ``key``, as Xero's webhooks do, once ``url`` passes Xero's intent-to-receive
        check. Returns (the subscription, None) or (None, the reason the check failed)."""
        subscription = Subscription(self, url, key, interval)
        problem = subscription.check()
        if problem:
            return None, problem
        for old in self.webhooks:
            old.stop()
        self.webhooks = [subscription]
        subscription.start()
        return subscription, None

    def stop(self):
        for subscription in self.webhooks:
            subscription.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- setup ---------------------------------------------------------------------------
    def add_tenant(self, name, base_currency="NZD", short_code=None):
        """Create an organisation; returns its TenantID (= OrganisationID)."""
        return self.store.add_tenant(name, base_currency, short_code).tenant_id

    def add_app(self, client_id, client_secret, tenants=None, custom=True, name="Fake App",
                scopes=DEFAULT_SCOPES, redirect_uris=None):
        """custom=True: a custom connection (client_credentials, bound to ``tenants``);
        custom=False: a standard app (authorization_code + refresh_token); ``tenants`` are
        the organisations its consent may connect (default: all)."""
        return self.identity.add_app(client_id, client_secret, tenants, custom, name,
                                     scopes, redirect_uris)

    def tenant(self, tenant_id):
        """The organisation's data: ``contacts``, ``items``, ``accounts``, ``tax_rates``,
        ``currencies``, ``tracking_categories``, ``branding_themes``, ``invoices``, ``quotes``,
        ``credit_notes``, ``payments``, ``allocations`` (stores by Xero ID that tests may read
        and seed), ``emails`` (e-mails sent per InvoiceID) and its ``organisation`` answer."""
        return self.store.tenants[tenant_id]

    def set_lock_dates(self, tenant_id, period=None, end_of_year=None):
        """Lock the organisation's books as an adviser would in Xero: ``period`` is the
        PeriodLockDate (all users but advisers), ``end_of_year`` the EndOfYearLockDate (all
        users); a date sets one, None clears it (Xero then omits it). Returns the organisation
        answer; ValueError when the end-of-year lock is later than the period lock."""
        return self.tenant(tenant_id).set_lock_dates(period, end_of_year)

    # -- items: seeding, and the stock the API cannot set ---------------------------------
    def add_item(self, tenant_id, fields, unitdp=4):
        """Create an item straight in the store, by the rules of a PUT element: ``fields`` in
        Xero's shape (``{"Code": "A1", "Name": "Apple", "SalesDetails": {"UnitPrice": 2.5,
        "AccountCode": "200", "TaxType": "OUTPUT2"}}``), unit prices kept at ``unitdp``
        decimals. Raises ValueError with Xero's messages. Returns the stored item."""
        return items.add_item(self.tenant(tenant_id), fields, self.clock.now(), unitdp)

    def item(self, tenant_id, key):
        """The stored item whose ItemID or Code (any case) is ``key``, or None."""
        return items.find_item(self.tenant(tenant_id), key)

    def set_quantity_on_hand(self, tenant_id, key, quantity, total_cost_pool=None):
        """Give a tracked item (ItemID or Code) stock, as Xero's bills and invoices would: the
        API cannot. TotalCostPool defaults to the quantity at the purchase unit price.
        UpdatedDateUTC moves, so a pull sees the change. Returns the stored item."""
        return items.set_stock(self.tenant(tenant_id), key, quantity, total_cost_pool, self.clock.now())

    # -- sales documents and payments: seeding, and what Xero's users do ------------------
    def add_invoice(self, tenant_id, fields):
        """Create an invoice straight in the store, by the rules of a PUT element with
        ``unitdp=4``: ``fields`` in Xero's shape (``{"Type": "ACCREC", "Contact": {"ContactID":
        ...}, "Status": "AUTHORISED", "DueDate": "2024-05-31", "LineItems": [...]}``; dates may
        be ``datetime.date``). Raises ValueError with Xero's messages. Returns the stored invoice."""
        return documents.add_document(invoices.INVOICES, self.tenant(tenant_id), self.clock, fields)

    def add_quote(self, tenant_id, fields):
        """Create a quote straight in the store, as ``add_invoice`` does an invoice."""
        return documents.add_document(quotes.QUOTES, self.tenant(tenant_id), self.clock, fields)

    def invoice(self, tenant_id, key):
        """The stored invoice whose InvoiceID or InvoiceNumber (any case) is ``key``, or None."""
        store = self.tenant(tenant_id).invoices
        return store.get(listing.find(store, key, store.by_number))

    def pay_invoice(self, tenant_id, invoice_id_or_number, amount=None, date=None, account_code=None):
        """Record a payment as a Xero user would: ``amount`` (default: what the invoice owes)
        on ``date`` (a ``datetime.date``; default: today) into ``account_code`` (default: the
        bank account, 090), by the rules of PUT /Payments; the invoice's AmountDue, AmountPaid,
        Status (PAID when settled) and UpdatedDateUTC follow. Raises KeyError for an unknown
        invoice, ValueError with Xero's messages. Returns the stored payment."""
        return payments.pay_invoice(self.tenant(tenant_id), invoice_id_or_number, amount, date,
                                    self.clock.now(), account_code)

    def delete_payment(self, tenant_id, payment_id):
        """Delete a payment as a Xero user would: it stays listed with Status DELETED and its
        invoice owes again (back to AUTHORISED). Returns the stored payment."""
        return payments.delete_payment(self.tenant(tenant_id), payment_id, self.clock.now())

    def credit_invoice(self, tenant_id, invoice, amount=None, date=None):
        """Settle ``amount`` (default: all it owes) of ``invoice`` (InvoiceID or InvoiceNumber)
        with an AUTHORISED credit note allocated to it, as a Xero user would. Returns the
        stored credit note."""
        return creditnotes.credit_invoice(self.tenant(tenant_id), self.clock, invoice, amount, date)

    def emails_sent(self, tenant_id, invoice_id_or_number):
        """How many times Xero e-mailed the invoice (POST /Invoices/{InvoiceID}/Email)."""
        found = self.invoice(tenant_id, invoice_id_or_number)
        return self.tenant(tenant_id).emails[found["InvoiceID"]] if found else 0

    # -- URLs a client is configured with ------------------------------------------------
    @property
    def api_url(self):
        return self.url + "/api.xro/2.0"

    @property
    def token_url(self):
        return self.url + "/connect/token"

    @property
    def revocation_url(self):
        return self.url + "/connect/revocation"

    @property
    def authorize_url(self):
        return self.url + "/identity/connect/authorize"

    # -- what happened -------------------------------------------------------------------
    @property
    def requests(self):
        return self.log.snapshot()

    def calls(self, path_prefix=None, method=None):
        return self.log.count(path_prefix, method)

    def reset_requests(self):
        self.log.clear()

    @property
    def token_calls(self):
        return self.identity.token_calls

    @property
    def token_calls_by_grant(self):
        return self.identity.token_calls_by_grant

    # -- consent behaviour ---------------------------------------------------------------
    @property
    def consent_decision(self):
        return self.identity.consent_decision

    @consent_decision.setter
    def consent_decision(self, value):
        if value not in ("allow", "deny"):
            raise ValueError("consent_decision is 'allow' or 'deny'")
        self.identity.consent_decision = value

    @property
    def consent_tenants(self):
        return self.identity.consent_tenants

    @consent_tenants.setter
    def consent_tenants(self, value):
        self.identity.consent_tenants = None if value is None else list(value)

    def run_as_program(self, tenant_id, host="127.0.0.1", port=0, extra=None):
        """Serve until SIGTERM or Ctrl-C, after printing ``FAKE_XERO_URL=... TENANT_ID=...``
        (then ``KEY=value`` of each of ``extra``: what was seeded) on one flushed line (what
        ``python -m xero_sandbox`` and the benchmarks read)."""
        url = self.start(host, port)
        print(" ".join(["FAKE_XERO_URL=%s TENANT_ID=%s" % (url, tenant_id)]
                       + ["%s=%s" % item for item in (extra or {}).items()]), flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            while not stop.wait(3600):
                pass
        except KeyboardInterrupt:
            pass
        self.stop()

    @staticmethod
    def follow_consent(url):
        """Play the administrator's browser on the consent page: open ``url`` and return
        where Xero sends the browser back to (the redirect URI with code or error, and state)."""
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kw):
                return None

        try:
            urllib.request.build_opener(NoRedirect).open(url)
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307):
                return exc.headers["Location"]
            raise
        raise AssertionError("the consent page did not redirect")

    @property
    def refresh_grace(self):
        """Clock seconds a rotated refresh token keeps working (Xero allows a grace period;
        0 by default so a client that reuses refresh tokens is caught)."""
        return self.identity.refresh_grace

    @refresh_grace.setter
    def refresh_grace(self, value):
        self.identity.refresh_grace = float(value)
