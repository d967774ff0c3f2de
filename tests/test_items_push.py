"""Odoo → Xero: products created and updated as Xero items by the engine, through the fake over HTTP."""
from odoo.tests import tagged

from odoo.addons.xero_connector.sync.items import ItemSync

from .items_common import ItemsCase


@tagged("post_install", "-at_install")
class TestItemsPush(ItemsCase):
    def test_a_product_becomes_an_item_with_prices_accounts_and_taxes(self):
        product = self.product("Flat White", default_code="COF-FW", list_price=4.5, standard_price=1.25,
                               description_sale="Double shot, steamed milk")
        link = self.item_link(product)
        self.assertEqual(link.state, "pending", "a product that can be sold is sent (default scope)")
        self.push_items()
        self.assertEqual(link.state, "synced", link.error)
        item = self.xero_item("COF-FW")
        self.assertEqual(link.xero_item_id, item["ItemID"])
        self.assertEqual(product.xero_item_id, item["ItemID"])
        self.assertEqual((item["Name"], item["Description"]), ("Flat White", "Double shot, steamed milk"))
        self.assertEqual(item["SalesDetails"], {"UnitPrice": 4.5, "AccountCode": "200", "TaxType": "OUTPUT2"})
        self.assertEqual(item["PurchaseDetails"], {"UnitPrice": 1.25, "AccountCode": "400", "TaxType": "INPUT2"})
        self.assertTrue(item["IsSold"] and item["IsPurchased"])
        [put] = self.item_writes()
        self.assertEqual((put.method, put.query.get("unitdp")), ("PUT", ["4"]), "prices to four decimals")

        self.fake.reset_requests()
        product.list_price = 5.0
        self.assertEqual(link.state, "pending")
        self.push_items()
        self.assertEqual(link.state, "synced", link.error)
        [post] = self.item_writes()
        self.assertEqual(set(post.json["Items"][0]), {"ItemID", "Code", "Description", "IsSold", "SalesDetails"},
                         "only the sales group is sent")
        self.assertEqual(self.xero_item("COF-FW")["SalesDetails"]["UnitPrice"], 5.0)

        self.fake.reset_requests()
        product.description = "<p>internal note</p>"
        self.push_items()
        self.assertFalse(self.item_writes(), "not a synced field: nothing sent")

    def test_a_product_without_reference_gets_a_stable_code(self):
        product = self.product("Mystery Box")
        self.push_items()
        item = self.xero_item("ODOO-%d" % product.id)
        self.assertTrue(item, self.item_link(product).error)
        product.name = "Mystery Box XL"
        self.push_items()
        self.assertEqual(self.xero_item("ODOO-%d" % product.id)["Name"], "Mystery Box XL")
        self.assertEqual(len(self.items()), 1)

    def test_a_code_already_in_xero_is_linked_not_duplicated(self):
        for group in ("identity", "sales"):
            self.env["ir.config_parameter"].set_param("xero_connector.conflict_item_%s" % group, "odoo")
        [item_id] = self.xero_save_items({"Code": "TEA-EG", "Name": "Earl Grey", "SalesDetails": {"UnitPrice": 3}})
        product = self.product("Earl Grey Tea", default_code="tea-eg", list_price=3.5)
        self.push_items()
        link = self.item_link(product)
        self.assertEqual((link.state, link.xero_item_id), ("synced", item_id), link.error)
        self.assertEqual(len(self.items()), 1, "linked, not created again")
        item = self.xero_item(item_id)
        # First contact: both sides hold values; the rule (here Odoo's) decides each group.
        self.assertEqual((item["Name"], item["SalesDetails"]["UnitPrice"]), ("Earl Grey Tea", 3.5))
        self.assertEqual((product.name, product.lst_price), ("Earl Grey Tea", 3.5))

    def test_a_code_taken_meanwhile_links_the_existing_item(self):
        """The code check before a create misses an item made in Xero meanwhile: Xero refuses the
        create ("already exists") and the item is linked instead of failing."""
        product = self.product("Chai Latte", default_code="COF-CHAI")
        link = self.item_link(product)
        self.patch(ItemSync, "match", lambda sync, client, links, values: sync.links)
        [item_id] = self.xero_save_items({"Code": "COF-CHAI", "Name": "Chai"})
        self.push_items()
        self.assertEqual((link.state, link.xero_item_id), ("pending", item_id), link.error)
        self.push_items()
        self.assertEqual(link.state, "synced", link.error)
        self.assertEqual(len(self.items()), 1)

    def test_an_item_deleted_in_xero_since_it_was_read_is_created_again(self):
        [item_id] = self.xero_save_items({"Code": "STALE-1", "Name": "Stale"})
        self.product("Reader", default_code="READER")
        self.push_items()  # the worker's index of Xero's items now holds STALE-1
        del self.fake.tenant(self.tenant_id).items[item_id]  # deleted by a Xero user
        product = self.product("Stale Again", default_code="STALE-1")
        self.push_items()
        link = self.item_link(product)
        self.assertEqual((link.state, link.xero_item_id, link.needs_review), ("pending", False, False), link.error)
        self.push_items()
        self.assertEqual(link.state, "synced", link.error)
        self.assertEqual(self.xero_item("STALE-1")["ItemID"], link.xero_item_id)

    def test_long_name_is_cut_and_long_code_refused_and_the_batch_goes_on(self):
        long_name = "Organic single-origin Ethiopian Yirgacheffe coffee beans, 1 kg"
        self.assertEqual(len(long_name), 62)
        named = self.product(long_name, default_code="COF-YIRG", description_sale="Light roast")
        coded = self.product("Coded", default_code="C" * 40)
        plain = self.product("Plain", default_code="PLAIN")
        self.push_items()

        self.assertEqual(self.item_link(named).state, "synced", self.item_link(named).error)
        item = self.xero_item("COF-YIRG")
        self.assertEqual(item["Name"], "Organic single-origin Ethiopian Yirgacheffe coffee")
        self.assertLessEqual(len(item["Name"]), 50)
        self.assertEqual(item["Description"], long_name + "\nLight roast", "kept whole in the description")

        link = self.item_link(coded)
        self.assertEqual(link.state, "error")
        self.assertIn("Coded", link.error)
        self.assertIn("Internal Reference", link.error)
        self.assertIn("at most 30", link.error)
        self.assertEqual(self.item_link(plain).state, "synced")
        self.assertEqual(sorted(i["Code"] for i in self.items()), ["COF-YIRG", "PLAIN"], "nothing half-written")

        self.xero_save_items({"ItemID": item["ItemID"], "Code": "COF-YIRG", "SalesDetails": {"UnitPrice": 40}},
                             create=False)  # a Xero user changes the price: the item is read back
        self.fake.reset_requests()
        self.pull_items()
        self.assertEqual(named.lst_price, 40)
        self.assertEqual(named.name, long_name, "the cut name does not come back")
        self.assertEqual(named.description_sale, "Light roast")
        self.push_items()
        self.assertFalse(self.item_writes(), "nothing bounces")

        coded.default_code = "COF-CODED"
        self.assertEqual(link.state, "pending", "fixed in Odoo: sent again")
        self.push_items()
        self.assertEqual(link.state, "synced", link.error)

    def test_a_code_changed_in_xero_is_not_undone_by_an_odoo_change_sent_with_it(self):
        product = self.product("Code Change", default_code="OLD-CODE", list_price=9.0)
        self.push_items()
        link = self.item_link(product)
        self.xero_save_items({"ItemID": link.xero_item_id, "Code": "NEW-CODE"}, create=False)
        product.list_price = 9.5  # meanwhile in Odoo: the push merges first, then sends the price
        self.push_items()
        self.assertEqual(link.state, "synced", link.error)
        item = self.xero_item(link.xero_item_id)
        self.assertEqual((item["Code"], item["SalesDetails"]["UnitPrice"]), ("NEW-CODE", 9.5))
        self.assertEqual(product.default_code, "NEW-CODE")

    def test_archiving_the_product_takes_the_item_out_of_use_and_back(self):
        product = self.product("Seasonal Blend", default_code="COF-SEAS", list_price=18.0)
        self.push_items()
        product.active = False
        self.push_items()
        item = self.xero_item("COF-SEAS")
        self.assertEqual((item["IsSold"], item["IsPurchased"]), (False, False),
                         "Xero's API cannot archive an item: it leaves Xero's pickers")
        self.assertEqual(self.item_link(product).state, "synced")
        product.active = True
        self.push_items()
        item = self.xero_item("COF-SEAS")
        self.assertTrue(item["IsSold"] and item["IsPurchased"])
        self.assertEqual(item["SalesDetails"]["UnitPrice"], 18.0, "the details Xero cleared are sent again")

    def test_an_archived_product_never_in_xero_is_not_created(self):
        product = self.product("Never Sold", default_code="NEVER")
        product.active = False
        self.push_items()
        self.assertEqual(self.item_link(product).state, "not_synced")
        self.assertFalse(self.items())

    def test_scope_flagged_sends_only_marked_products_and_none_sends_none(self):
        self.env["ir.config_parameter"].set_param("xero_connector.items_scope", "flagged")
        unmarked = self.product("Unmarked", default_code="UNMARKED")
        marked = self.product("Marked", default_code="MARKED")
        self.assertFalse(self.item_link(unmarked) or self.item_link(marked))
        marked.product_tmpl_id.xero_sync = True
        self.push_items()
        self.assertEqual([i["Code"] for i in self.items()], ["MARKED"])
        self.env["ir.config_parameter"].set_param("xero_connector.items_scope", "none")
        self.product("Nothing", default_code="NOTHING", xero_sync=True)
        self.push_items()
        self.assertEqual([i["Code"] for i in self.items()], ["MARKED"])

    def test_a_product_another_record_needs_goes_first_whatever_the_scope(self):
        self.env["ir.config_parameter"].set_param("xero_connector.items_scope", "none")
        product = self.product("Needed Now", default_code="NEEDED")
        queued = self.product("Queued", default_code="QUEUED")
        self.assertFalse(self.item_link(product))
        links = self.env["xero.product.link"]._push_now(product, self.connection)
        self.assertEqual(links[product.id].state, "synced", links[product.id].error)
        self.assertEqual([i["Code"] for i in self.items()], ["NEEDED"])
        self.assertFalse(self.item_link(queued))

    def test_a_doubtful_name_match_waits_for_review_and_links_or_creates(self):
        [item_id] = self.xero_save_items({"Code": "X-100", "Name": "Oat Milk 1L"})
        product = self.product("Oat milk (1 L)", default_code="MILK-OAT")
        self.push_items()
        link = self.item_link(product)
        self.assertEqual((link.state, link.needs_review), ("error", True))
        self.assertEqual(link.match_ids.xero_item_id, item_id)
        self.assertIn("Oat Milk 1L", link.match_ids.evidence)
        self.assertEqual(len(self.items()), 1, "nothing created while a person decides")
        self.push_items()
        self.assertEqual(len(self.items()), 1, "a review is not retried blindly")

        link.match_ids.action_link()
        self.assertEqual((link.state, link.xero_item_id), ("synced", item_id), link.error)
        self.assertEqual(len(self.items()), 1)

        other = self.product("Oat milk 1L", default_code="MILK-OAT-2")
        self.push_items()
        other_link = self.item_link(other)
        self.assertFalse(other_link.needs_review, "an item linked to another product is no candidate")
        self.assertEqual(other_link.state, "synced")

    def test_resync_button_sends_again(self):
        product = self.product("Resync Beans", default_code="RESYNC")
        self.push_items()
        self.fake.reset_requests()
        product.action_xero_resync()
        self.assertEqual(self.item_link(product).state, "synced")
        [post] = self.item_writes()
        self.assertEqual(post.json["Items"][0]["ItemID"], self.item_link(product).xero_item_id)
