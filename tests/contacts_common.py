"""Helpers for the contact sync tests: customers in Odoo, contacts in the fake Xero (written over
HTTP, as Xero's users would), and the two scheduled actions run as the cron runs them."""
import json
from odoo import fields

from odoo.addons.xero_connector.xero.batch import WriteItem
from odoo.addons.xero_connector.xero.quota import Limits

from .common import XeroCase


class ContactsCase(XeroCase):
    """Xero's call limits are not what these tests are about (the quota has its own tests): both
    the fake and our limiter are given room, so a class of tests never waits for a Xero minute."""

    @classmethod
    def start_fake_xero(cls, **kw):
        kw.setdefault("minute_limit", 100000)
        kw.setdefault("day_limit", 1000000)
        return super().start_fake_xero(**kw)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("xero_connector.contact_number_prefix", "ODOO-")
        # Products are not what these tests are about: the scheduled actions send none.
        cls.env["ir.config_parameter"].sudo().set_param("xero_connector.items_scope", "none")
        # The demo database's customers are linked only where a test asks for it.
        cls.connection.contacts_linked_at = fields.Datetime.now()
        cls.term_30 = cls.env["account.payment.term"].create({
            "name": "30 days net (test)", "line_ids": [(0, 0, {"value": "percent", "value_amount": 100.0,
                                                              "delay_type": "days_after", "nb_days": 30})]})

    def setUp(self):
        super().setUp()
        self.patch(type(self.connection), "_xero_limits",
                   lambda connection: Limits(minute=100000, day=1000000, daily_reserve=0))
        # Odoo rolls each test back; the fake's organisation must start empty too.
        self.fake.tenant(self.tenant_id).contacts.clear()
        self.connect()
        self.Link = self.env["xero.partner.link"]

    # -- Odoo side ------------------------------------------------------------------------------
    def customer(self, name, **vals):
        return self.env["res.partner"].create(dict({"name": name, "is_company": True, "xero_sync": True}, **vals))

    def link(self, partner):
        return self.Link.search([("partner_id", "=", partner.commercial_partner_id.id),
                                 ("connection_id", "=", self.connection.id)])

    def push(self):
        self.env["xero.sync.state"]._cron_push(["contacts"])
        self.env.flush_all()

    def pull(self):
        self.env["xero.sync.state"]._cron_pull(["contacts"])
        self.env.flush_all()

    # -- Xero side ------------------------------------------------------------------------------
    def contacts(self):
        return list(self.fake.tenant(self.tenant_id).contacts.values())

    def xero_contact(self, contact_id):
        return self.fake.tenant(self.tenant_id).contacts[contact_id]

    def in_xero(self, name):
        return [c for c in self.contacts() if c.get("Name") == name]

    def xero_save(self, *payloads, create=True):
        """Create (PUT) or update (POST) contacts in Xero as a Xero user would; returns their IDs."""
        with self.connection._xero_session() as client:
            results = client.save("Contacts", [WriteItem(i, p, json.dumps(p, sort_keys=True))
                                                  for i, p in enumerate(payloads)],
                                  create_only=create)
        for result in results:
            self.assertTrue(result.ok, result.errors)
        return [r.xero_id for r in results]

    def writes(self):
        """PUT/POST requests to Contacts so far (reset with self.fake.reset_requests())."""
        return [r for r in self.fake.requests if r.method in ("PUT", "POST") and "/Contacts" in r.path]
