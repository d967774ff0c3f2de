"""Helpers for the product sync tests: products in Odoo, items in the fake Xero (written over HTTP,
as Xero's users would), and the engine's scheduled actions run for products."""
import json

from odoo import fields

from odoo.addons.xero_connector.sync.items import match
from odoo.addons.xero_connector.xero.batch import WriteItem

from .contacts_common import ContactsCase


class ItemsCase(ContactsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("xero_connector.items_scope", "sold")
        cls.env["ir.config_parameter"].sudo().set_param("xero_connector.item_code_prefix", "ODOO-")
        # The demo database's products are linked only where a test asks for it.
        cls.env["xero.sync.state"]._for(cls.connection, "items").linked_at = fields.Datetime.now()
        cls.sale_tax = cls.tax_of_15("sale")
        cls.purchase_tax = cls.tax_of_15("purchase")
        # Xero's seeded chart has a revenue account 200 and an expense account 400.
        cls.income = cls.env["account.account"].create({"name": "Sales (Xero 200)", "code": "200",
                                                        "account_type": "income"})
        cls.expense = cls.env["account.account"].create({"name": "Advertising (Xero 400)", "code": "400",
                                                         "account_type": "expense"})

    @classmethod
    def tax_of_15(cls, usage):
        """The company's one 15% tax of ``usage`` (as Xero's NZ GST): the chart's, or a new one."""
        Tax = cls.env["account.tax"]
        domain = [("company_id", "=", cls.env.company.id), ("type_tax_use", "=", usage), ("amount", "=", 15.0),
                  ("amount_type", "=", "percent"), ("price_include", "=", False)]
        return Tax.search(domain, limit=1) or Tax.create({
            "name": "GST 15%% %s (test)" % usage, "amount": 15.0, "amount_type": "percent", "type_tax_use": usage,
            "company_id": cls.env.company.id})

    def setUp(self):
        super().setUp()
        self.fake.tenant(self.tenant_id).items.clear()
        match._INDEXES.clear()  # the workers' indexes of Xero's items: this test's organisation is new
        self.fake.reset_requests()
        self.ItemLink = self.env["xero.product.link"]

    # -- Odoo side ------------------------------------------------------------------------------
    def product(self, name, **vals):
        vals = dict({"name": name, "list_price": 10.0, "standard_price": 4.0, "sale_ok": True,
                     "taxes_id": [(6, 0, self.sale_tax.ids)], "supplier_taxes_id": [(6, 0, self.purchase_tax.ids)],
                     "property_account_income_id": self.income.id,
                     "property_account_expense_id": self.expense.id}, **vals)
        return self.env["product.product"].create(vals)

    def item_link(self, product):
        return self.ItemLink.search([("product_id", "=", product.id), ("connection_id", "=", self.connection.id)])

    def push_items(self):
        self.env["xero.sync.state"]._cron_push(["items"])
        self.env.flush_all()

    def pull_items(self):
        self.env["xero.sync.state"]._cron_pull(["items"])
        self.env.flush_all()

    # -- Xero side ------------------------------------------------------------------------------
    def items(self):
        return list(self.fake.tenant(self.tenant_id).items.values())

    def xero_item(self, key):
        return self.fake.item(self.tenant_id, key)

    def xero_save_items(self, *payloads, create=True):
        """Create (PUT) or update (POST) items in Xero as a Xero user would; returns their IDs."""
        with self.connection._xero_session() as client:
            results = client.save("Items", [WriteItem(i, p, json.dumps(p, sort_keys=True))
                                            for i, p in enumerate(payloads)], create_only=create)
        for result in results:
            self.assertTrue(result.ok, result.errors)
        return [r.xero_id for r in results]

    def item_writes(self):
        return [r for r in self.fake.requests if r.method in ("PUT", "POST") and "/Items" in r.path]
