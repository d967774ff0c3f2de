"""Helpers for the mapping, preflight and test-run tests: the NZ organisation of ``ItemsCase``
(GST 15% as OUTPUT2, accounts 200/400), orders, and companies of other editions connected to
organisations of their own."""
from odoo import Command

from .common import CLIENT_SECRET, point_at
from .items_common import ItemsCase


class MappingCase(ItemsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_co = cls.env["res.partner"].create({"name": "Kiwi Traders Ltd", "is_company": True,
                                                         "country_id": cls.env.ref("base.nz").id})

    def order(self, partner=None, lines=None, **vals):
        """A quotation of ``lines`` [(product, qty, price, taxes)] for ``partner``."""
        lines = lines or [(self.product("Beans"), 2, 10.0, self.sale_tax)]
        return self.env["sale.order"].create(dict({
            "partner_id": (partner or self.customer_co).id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": price,
                                           "tax_id": [Command.set(taxes.ids)]})
                           for product, qty, price, taxes in lines]}, **vals))

    def tax(self, name, amount, company=None, **vals):
        company = company or self.env.company
        group = self.env["account.tax.group"].search([("company_id", "=", company.id)], limit=1) \
            or self.env["account.tax.group"].create({"name": "Taxes", "company_id": company.id})
        return self.env["account.tax"].create(dict({
            "name": name, "amount": amount, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": company.id, "tax_group_id": group.id,
            "country_id": (company.account_fiscal_country_id or company.country_id).id}, **vals))

    def open_mapping(self, connection=None):
        action = (connection or self.connection).action_open_mapping()
        return self.env["xero.mapping.wizard"].browse(action["res_id"])

    def tax_row(self, tax, connection=None):
        return self.env["xero.tax.map"].search([("tax_id", "=", tax.id),
                                                ("connection_id", "=", (connection or self.connection).id)])

    def connected_company(self, name, currency):
        """A new company whose own connection reaches a new organisation of ``currency``'s edition
        (a custom app bound to it); returns (company, connection, tenant id)."""
        tenant_id = self.fake.add_tenant("%s (test)" % name, base_currency=currency)
        client_id = "app-%s" % tenant_id[:8]
        self.fake.add_app(client_id, CLIENT_SECRET, tenants=[tenant_id], custom=True)
        country = {"AUD": "au", "NZD": "nz", "GBP": "uk", "USD": "us"}[currency]
        company = self.env["res.company"].create({"name": name, "country_id": self.env.ref("base.%s" % country).id,
                                                  "currency_id": self.env.ref("base.%s" % currency).id})
        self.env.user.company_ids |= company
        point_at(self.env, self.fake_url)
        connection = self.env["xero.connection"].create({"name": name, "client_id": client_id,
                                                         "client_secret": CLIENT_SECRET, "company_id": company.id})
        action = connection.action_connect()
        self.assertEqual(connection.state, "connected", action["params"]["message"])
        return company, connection, tenant_id
