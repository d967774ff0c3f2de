"""The test run: up to five records previewed exactly as they would go to Xero with nothing
written there, then sent, those and only those."""
import json

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .mapping_common import MappingCase


@tagged("post_install", "-at_install")
class TestTestRun(MappingCase):
    def run_of(self, **records):
        return self.env["xero.test.run"].create(dict({"connection_id": self.connection.id}, **{
            field: [Command.set(recs.ids)] for field, recs in records.items()}))

    def writes(self):
        return [r for r in self.fake.requests if r.method in ("PUT", "POST", "DELETE")]

    def test_a_sixth_record_is_refused(self):
        partners = self.env["res.partner"].create([{"name": "Trial %s Ltd" % i, "is_company": True}
                                                   for i in range(4)])
        products = self.product("Trial Beans") | self.product("Trial Peas")
        with self.assertRaisesRegex(ValidationError, "five records at most.*6"):
            self.run_of(partner_ids=partners, product_ids=products)
        self.run_of(partner_ids=partners, product_ids=products[:1])

    def test_the_preview_writes_nothing_to_xero_and_shows_what_would_be_sent(self):
        product = self.product("Preview Beans", default_code="PREVIEW")
        order = self.order(lines=[(product, 3, 12.5, self.sale_tax)])
        order.order_line = [Command.create({"display_type": "line_section", "name": "Extras"})]
        run = self.run_of(order_ids=order, partner_ids=self.customer_co, product_ids=product)
        self.fake.reset_requests()
        run.action_preview()
        self.assertEqual(self.writes(), [], "nothing written to Xero")
        self.assertEqual(self.Link.search([("partner_id", "=", self.customer_co.id)]).xero_contact_id or False, False)
        by_kind = {line.kind: line for line in run.line_ids}
        self.assertEqual(set(by_kind), {"order", "partner", "product"})

        invoice = json.loads(by_kind["order"].payload)
        self.assertEqual(invoice["Type"], "ACCREC")
        self.assertEqual(invoice["Reference"], order.name)
        self.assertEqual(invoice["LineAmountTypes"], "Exclusive")
        line, section = invoice["LineItems"]
        self.assertEqual((line["ItemCode"], line["Quantity"], line["UnitAmount"], line["AccountCode"],
                          line["TaxType"]), ("PREVIEW", 3, 12.5, "200", "OUTPUT2"))
        self.assertEqual(section, {"Description": "Extras"})
        self.assertIn("Kiwi Traders Ltd is created in Xero first", by_kind["order"].dependencies)
        self.assertIn("PREVIEW", by_kind["order"].dependencies)
        self.assertFalse(by_kind["order"].problems)

        self.assertEqual(json.loads(by_kind["partner"].payload)["Name"], "Kiwi Traders Ltd")
        item = json.loads(by_kind["product"].payload)
        self.assertEqual((item["Code"], item["SalesDetails"]["AccountCode"], item["SalesDetails"]["TaxType"]),
                         ("PREVIEW", "200", "OUTPUT2"))

    def test_the_preview_names_the_preflight_s_problems(self):
        partner = self.customer("Bad Mail Ltd", email="not an address")
        run = self.run_of(partner_ids=partner)
        run.action_preview()
        self.assertTrue(run.line_ids.blocked)
        self.assertIn("not an address", run.line_ids.problems)

    def test_sending_sends_those_records_and_only_those(self):
        chosen = self.customer("Chosen Ltd")
        waiting = self.customer("Waiting Ltd")
        self.assertEqual(self.link(waiting).state, "pending", "queued for the next scheduled run")
        product = self.product("Chosen Beans", default_code="CHOSEN")
        other = self.product("Other Beans", default_code="OTHER")
        bad = self.customer("Bad Mail Ltd", email="not an address")
        run = self.run_of(partner_ids=chosen | bad, product_ids=product)
        run.action_preview()
        self.fake.reset_requests()
        run.action_send()
        self.assertEqual(sorted(c["Name"] for c in self.contacts()), ["Chosen Ltd"])
        self.assertEqual([i["Code"] for i in self.items()], ["CHOSEN"])
        self.assertEqual(self.link(waiting).state, "pending")
        self.assertFalse(self.item_link(other).xero_item_id)
        results = {line.name: line for line in run.line_ids}
        self.assertEqual(results["Chosen Ltd"].result, "In Xero.")
        self.assertIn("/contacts/contact/%s" % self.link(chosen).xero_contact_id, results["Chosen Ltd"].xero_url)
        self.assertIn("Not sent", results["Bad Mail Ltd"].result)
        self.assertEqual(results["[CHOSEN] Chosen Beans"].result, "In Xero.")
        self.assertEqual(self.item_link(product).state, "synced")
        again = self.run_of(partner_ids=chosen, product_ids=other)
        again.action_preview()
        notes = {line.name: line.note for line in again.line_ids}
        self.assertIn("unchanged", notes["Chosen Ltd"])
        self.assertFalse(notes["[OTHER] Other Beans"], "never sent: it would be created")

    def test_orders_are_sent_as_send_to_xero_sends_them(self):
        self.env["ir.config_parameter"].sudo().set_param("xero_connector.document_type", "invoice")
        confirmed, quotation = self.order(), self.order()
        confirmed.action_confirm()
        run = self.run_of(order_ids=confirmed | quotation)
        run.action_preview()
        run.action_send()
        invoices = list(self.fake.tenant(self.tenant_id).invoices.values())
        self.assertEqual([i["Reference"] for i in invoices], [confirmed.name])
        results = {line.res_id: line for line in run.line_ids}
        self.assertEqual(results[confirmed.id].result, "In Xero.")
        self.assertIn("/invoicing/view/%s" % confirmed.xero_invoice_id, results[confirmed.id].xero_url)
        self.assertIn("confirm the quotation", results[quotation.id].result)

    def test_opened_from_the_product_list_it_takes_the_variants(self):
        product = self.product("Listed Beans")
        run = self.env["xero.test.run"].with_context(active_model="product.template",
                                                     active_ids=product.product_tmpl_id.ids).create({})
        self.assertEqual(run.product_ids, product)

    def test_opened_from_a_list_it_takes_the_selected_records(self):
        partners = self.customer("Listed One Ltd") | self.customer("Listed Two Ltd")
        run = self.env["xero.test.run"].with_context(active_model="res.partner", active_ids=partners.ids).create({})
        self.assertEqual(run.partner_ids, partners)
        self.assertEqual(run.connection_id, self.connection)
