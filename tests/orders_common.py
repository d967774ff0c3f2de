"""Helpers for the Send to Xero tests: confirmed orders of the NZ organisation of ``MappingCase``
(GST 15% as OUTPUT2, account 200), the fake's invoices and quotes, and the scheduled actions."""
from odoo import Command

from .mapping_common import MappingCase


class OrdersCase(MappingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.params.set_param("xero_connector.document_type", "invoice")
        cls.params.set_param("xero_connector.invoice_status", "DRAFT")
        cls.params.set_param("xero_connector.send_on_confirm", "")
        cls.params.set_param("xero_connector.email_on_approve", "")
        cls.params.set_param("xero_connector.sales_may_approve", "")
        cls.params.set_param("xero_connector.rounding_adjustment", "")

    def setUp(self):
        super().setUp()
        tenant = self.fake.tenant(self.tenant_id)
        for store in (tenant.invoices, tenant.quotes, tenant.payments, tenant.credit_notes):
            store.clear()
        tenant.emails.clear()
        self.fake.reset_requests()

    def user(self, name, login, *groups):
        """An internal user with an e-mail (the chatter needs one) and these groups (xml ids)."""
        group_ids = [self.env.ref(xml_id).id for xml_id in groups]
        return self.env["res.users"].create({
            "name": name, "login": login, "email": "%s@example.com" % name.split()[0].lower(),
            "groups_id": [Command.set(group_ids)]})

    def confirmed(self, partner=None, lines=None, **vals):
        order = self.order(partner=partner, lines=lines, **vals)
        order.action_confirm()
        return order

    def send(self, orders):
        action = orders.action_send_to_xero()
        self.env.flush_all()
        return action

    def invoices(self):
        return list(self.fake.tenant(self.tenant_id).invoices.values())

    def quotes(self):
        return list(self.fake.tenant(self.tenant_id).quotes.values())

    def xero_invoice(self, order):
        return self.fake.invoice(self.tenant_id, order.xero_invoice_id)

    def writes(self, path):
        """Write calls (PUT and POST) the addon made to ``path`` (e.g. "/Invoices")."""
        return [r for r in self.fake.requests
                if r.method in ("PUT", "POST") and r.path.split("?")[0].endswith(path)]

    def pull_payments(self):
        self.env["xero.sync.state"]._cron_pull_documents()
        self.env.flush_all()

    def push(self):
        self.env["xero.sync.state"]._cron_push()
        self.env.flush_all()

    def line(self, product, qty, price, taxes, **vals):
        return Command.create(dict({"product_id": product.id, "product_uom_qty": qty, "price_unit": price,
                                    "tax_id": [Command.set(taxes.ids)]}, **vals))
