"""Xero → Odoo: items read back as products, stock read back, archive, the conflict rule."""
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.xero_connector.sync.items import ItemSync
from odoo.addons.xero_connector.xero import dates

from .items_common import ItemsCase


@tagged("post_install", "-at_install")
class TestItemsPull(ItemsCase):
    def product_of(self, item_id):
        link = self.ItemLink.search([("xero_item_id", "=", item_id), ("connection_id", "=", self.connection.id)])
        return link.product_id.with_context(active_test=False)

    def test_an_item_created_in_xero_becomes_a_product_and_nothing_bounces(self):
        [item_id] = self.xero_save_items({
            "Code": "BAG-TOTE", "Name": "Canvas Tote", "Description": "Natural canvas",
            "SalesDetails": {"UnitPrice": 12.5, "AccountCode": "200", "TaxType": "OUTPUT2"},
            "PurchaseDetails": {"UnitPrice": 4.25, "TaxType": "INPUT2"}})
        self.pull_items()
        product = self.product_of(item_id)
        self.assertTrue(product)
        self.assertEqual((product.name, product.default_code, product.description_sale),
                         ("Canvas Tote", "BAG-TOTE", "Natural canvas"))
        self.assertEqual((product.list_price, product.standard_price, product.type), (12.5, 4.25, "service"))
        self.assertEqual(product.product_tmpl_id.company_id, self.env.company)
        self.assertIn(self.sale_tax, product.taxes_id, "OUTPUT2 is the company's one 15% sales tax")
        self.assertEqual(product.property_account_income_id, self.income)
        self.assertEqual(self.item_link(product).state, "synced")
        self.fake.reset_requests()
        self.push_items()
        self.assertFalse(self.item_writes(), "what came from Xero is not sent back")

    def test_changes_in_xero_update_the_product(self):
        product = self.product("House Blend", default_code="COF-HOUSE", list_price=20.0)
        self.push_items()
        link = self.item_link(product)
        self.xero_save_items({"ItemID": link.xero_item_id, "Code": "COF-HOUSE", "Name": "House Blend 500g",
                              "SalesDetails": {"UnitPrice": 22.0, "AccountCode": "200", "TaxType": "OUTPUT2"}},
                             create=False)
        self.pull_items()
        self.assertEqual((product.name, product.lst_price, product.standard_price), ("House Blend 500g", 22.0, 4.0))
        self.assertEqual(link.state, "synced")
        self.fake.reset_requests()
        self.push_items()
        self.assertFalse(self.item_writes())

    def test_a_tracked_items_quantity_on_hand_is_read_back(self):
        [item_id] = self.xero_save_items({
            "Code": "MUG-01", "Name": "Enamel Mug", "InventoryAssetAccountCode": "630",
            "PurchaseDetails": {"UnitPrice": 3.0, "COGSAccountCode": "310"},
            "SalesDetails": {"UnitPrice": 9.0}})
        self.fake.set_quantity_on_hand(self.tenant_id, "MUG-01", 42)
        self.pull_items()
        product = self.product_of(item_id)
        self.assertEqual(product.type, "consu", "tracked in Xero: goods")
        self.assertTrue(product.xero_tracked)
        self.assertEqual(product.xero_quantity_on_hand, 42)
        self.fake.set_quantity_on_hand(self.tenant_id, "MUG-01", 40)
        self.pull_items()
        product.invalidate_recordset()
        self.assertEqual(product.xero_quantity_on_hand, 40)

        # Odoo changes the cost: the update keeps the item tracked (its cost of goods account).
        product.standard_price = 3.5
        self.push_items()
        self.assertEqual(self.item_link(product).state, "synced", self.item_link(product).error)
        item = self.xero_item("MUG-01")
        self.assertTrue(item["IsTrackedAsInventory"])
        self.assertEqual(item["PurchaseDetails"]["UnitPrice"], 3.5)
        self.assertEqual(item["PurchaseDetails"]["COGSAccountCode"], "310")

    def test_an_item_out_of_use_in_xero_archives_the_product(self):
        product = self.product("Old Mug", default_code="MUG-OLD", list_price=7.0)
        self.push_items()
        link = self.item_link(product)
        self.xero_save_items({"ItemID": link.xero_item_id, "Code": "MUG-OLD", "IsSold": False, "IsPurchased": False},
                             create=False)
        self.pull_items()
        self.assertFalse(product.active)
        self.assertEqual(product.lst_price, 7.0, "the price Xero cleared is kept")
        self.assertEqual(link.state, "synced")
        self.xero_save_items({"ItemID": link.xero_item_id, "Code": "MUG-OLD", "IsSold": True,
                              "SalesDetails": {"UnitPrice": 7.5}}, create=False)
        self.pull_items()
        self.assertTrue(product.active)
        self.assertEqual(product.lst_price, 7.5)

    def test_unknown_items_out_of_use_are_not_imported(self):
        [item_id] = self.xero_save_items({"Code": "GONE", "Name": "Gone", "IsSold": False, "IsPurchased": False})
        self.pull_items()
        self.assertFalse(self.product_of(item_id))

    def test_an_item_with_the_code_of_a_waiting_product_links_it(self):
        product = self.product("Waiting Beans", default_code="COF-WAIT")
        [item_id] = self.xero_save_items({"Code": "cof-wait", "Name": "Waiting Beans"})
        self.pull_items()
        self.assertEqual(self.item_link(product).xero_item_id, item_id)
        self.assertEqual(self.env["product.product"].search_count([("name", "=", "Waiting Beans")]), 1)

    def test_the_watermark_advances_and_the_next_pull_reads_only_changes(self):
        first, second = self.xero_save_items({"Code": "W-1", "Name": "First"}, {"Code": "W-2", "Name": "Second"})
        self.pull_items()
        state = self.env["xero.sync.state"]._for(self.connection, "items")
        self.assertEqual(state.pulled_at.replace(microsecond=0),
                         dates.updated(self.xero_item(second)).replace(microsecond=0))
        self.xero_save_items({"ItemID": second, "Code": "W-2", "Name": "Second, renamed"}, create=False)
        self.fake.reset_requests()
        self.patch(ItemSync, "create_records", lambda sync, items: self.fail("nothing new to create"))
        self.pull_items()
        [read] = [r for r in self.fake.requests if r.method == "GET" and r.path.endswith("/Items")]
        self.assertIn("If-Modified-Since", read.headers)
        self.assertEqual(self.product_of(second).name, "Second, renamed")
        self.assertEqual(self.product_of(first).name, "First")

    def test_an_item_with_the_code_of_a_product_outside_the_scope_links_it(self):
        self.env["ir.config_parameter"].set_param("xero_connector.items_scope", "flagged")
        product = self.product("Not Marked", default_code="NOT-MARKED")
        self.assertFalse(self.item_link(product))
        [item_id] = self.xero_save_items({"Code": "NOT-MARKED", "Name": "Not Marked"})
        self.pull_items()
        self.assertEqual(self.item_link(product).xero_item_id, item_id)
        self.assertEqual(self.env["product.product"].search_count([("default_code", "=", "NOT-MARKED")]), 1)

    def test_a_price_pulled_for_one_variant_reaches_the_others_items(self):
        size = self.env["product.attribute"].create({"name": "Cup size (test)", "value_ids": [
            (0, 0, {"name": "Small"}), (0, 0, {"name": "Large"})]})
        template = self.env["product.template"].create({
            "name": "Latte", "list_price": 5.0, "attribute_line_ids": [
                (0, 0, {"attribute_id": size.id, "value_ids": [(6, 0, size.value_ids.ids)]})]})
        small, large = template.product_variant_ids
        self.push_items()
        small_link, large_link = self.item_link(small), self.item_link(large)
        self.assertEqual((small_link.state, large_link.state), ("synced", "synced"))
        self.xero_save_items({"ItemID": small_link.xero_item_id, "Code": "ODOO-%d" % small.id,
                              "SalesDetails": {"UnitPrice": 5.5}}, create=False)
        self.pull_items()
        self.assertEqual(template.list_price, 5.5, "the price is the template's")
        self.assertEqual(large_link.state, "pending", "the other variant's item must follow")
        self.push_items()
        self.assertEqual(self.xero_item(large_link.xero_item_id)["SalesDetails"]["UnitPrice"], 5.5)

    def conflict_on_price(self, rule, odoo_newer):
        self.env["ir.config_parameter"].set_param("xero_connector.conflict_item_sales", rule)
        product = self.product("Conflict Cup", default_code="CUP-C", list_price=5.0)
        self.push_items()
        link = self.item_link(product)
        product.list_price = 6.0
        self.xero_save_items({"ItemID": link.xero_item_id, "Code": "CUP-C", "SalesDetails": {"UnitPrice": 7.0}},
                             create=False)
        shift = timedelta(hours=1 if odoo_newer else -1)
        link.odoo_changed = dict(link.odoo_changed, sales=fields.Datetime.to_string(fields.Datetime.now() + shift))
        self.pull_items()
        self.push_items()
        self.assertEqual(self.xero_item("CUP-C")["SalesDetails"]["UnitPrice"], product.lst_price, "both agree")
        return product.lst_price

    def test_conflict_odoo_wins(self):
        self.assertEqual(self.conflict_on_price("odoo", odoo_newer=False), 6.0)

    def test_conflict_xero_wins(self):
        self.assertEqual(self.conflict_on_price("xero", odoo_newer=True), 7.0)

    def test_conflict_newest_wins(self):
        self.assertEqual(self.conflict_on_price("newest", odoo_newer=True), 6.0)
        self.env["xero.product.link"].search([]).unlink()
        self.fake.tenant(self.tenant_id).items.clear()
        self.assertEqual(self.conflict_on_price("newest", odoo_newer=False), 7.0)

    def test_each_group_has_its_own_rule(self):
        self.env["ir.config_parameter"].set_param("xero_connector.conflict_item_sales", "xero")
        self.env["ir.config_parameter"].set_param("xero_connector.conflict_item_purchase", "odoo")
        product = self.product("Two Rules", default_code="TWO-RULES", list_price=5.0, standard_price=2.0)
        self.push_items()
        link = self.item_link(product)
        product.write({"list_price": 6.0, "standard_price": 3.0})
        self.xero_save_items({"ItemID": link.xero_item_id, "Code": "TWO-RULES", "SalesDetails": {"UnitPrice": 7.0},
                              "PurchaseDetails": {"UnitPrice": 4.0}}, create=False)
        self.pull_items()
        self.push_items()
        item = self.xero_item("TWO-RULES")
        self.assertEqual((product.lst_price, product.standard_price), (7.0, 3.0), "sales: Xero; purchase: Odoo")
        self.assertEqual((item["SalesDetails"]["UnitPrice"], item["PurchaseDetails"]["UnitPrice"]), (7.0, 3.0))
