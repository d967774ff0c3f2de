"""Products ⇄ Xero items, on the engine.

Which products (``xero_connector.items_scope``): ``sold`` (every product that can be sold, the
default), ``flagged`` (products marked *Sync to Xero*) or ``none``; in every mode a product
another object needs in Xero (a line of an order sent there) is linked and sent first
(``xero.link.mixin._push_now``). One item per product variant and organisation
(``xero.product.link``); the field map is ``values``, Xero's JSON ``xero.mappers.item``.
Xero's stock (IsTrackedAsInventory, QuantityOnHand) is read back onto the link.
"""
from ...tools import bulk
from ...xero import refusals, where
from ...xero.mappers import item as mapper
from ..engine.merge import changed
from ..engine.registry import register
from ..engine.sync_type import SyncType
from ..mapping import Mapping
from ..preflight import Preflight, blocking
from . import match, messages, values as product_values
from .values import touched_groups

SCOPE_PARAM = "xero_connector.items_scope"
SCOPES = ("sold", "flagged", "none")


def scope(env):
    value = env["ir.config_parameter"].sudo().get_param(SCOPE_PARAM) or "sold"
    return value if value in SCOPES else "sold"


@register
class ItemSync(SyncType):
    name = "items"
    label = "Products"
    sequence = 20
    link_model = "xero.product.link"
    record_model = "product.product"
    kind = "Items"
    mapper = mapper
    conflict_param = "xero_connector.conflict_item_%s"
    configurable_groups = ("identity", "sales", "purchase")

    def __init__(self, connection):
        super().__init__(connection)
        self.prefix = product_values.code_prefix(self.env)
        self.account_map = self.writer = self._preflight = None  # with Xero's settings, read by start()
        self._waiting = None
        self._bound = set()  # links this run bound to an item by its code

    def start(self, client):
        # Xero's settings as kept, read again first when stale (without a client: as kept).
        rules = self.connection._xero_fresh_settings(client) if client else self.connection.xero_settings_id._rules()
        self.account_map = Mapping(self.connection, rules)
        self.writer = product_values.ProductWriter(self.env, self.connection, self.prefix, self.account_map)
        self._preflight = Preflight(self.connection, self.account_map)

    # -- which records, and their values ----------------------------------------------------------
    def link_existing(self):
        """Products that existed before the connection, as the scope says."""
        mode = scope(self.env)
        if mode == "none":
            return
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT pp.id FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pp.active AND pt.active AND (pt.company_id IS NULL OR pt.company_id = %s)
               AND {condition}""".format(condition="pt.sale_ok" if mode == "sold" else "pt.xero_sync"),
                            (self.connection.company_id.id,))
        products = self.env["product.product"].browse([row[0] for row in self.env.cr.fetchall()])
        self.links._ensure_links(products, self.connection)

    def values(self, records):
        return product_values.item_values(records, self.connection, self.prefix, self.account_map)

    def changed_at(self, product):
        # Prices, taxes and descriptions live on the template: its changes count too.
        return max(product.write_date, product.product_tmpl_id.write_date)

    def check(self, product):
        if self._preflight is None:
            return []
        return [p["message"] for p in blocking(self._preflight.product_mapping(product))]

    def link_values(self, item):
        return {"xero_code": item.get("Code"), "xero_tracked": bool(item.get("IsTrackedAsInventory")),
                "xero_quantity_on_hand": item.get("QuantityOnHand") or 0.0}

    # -- push ---------------------------------------------------------------------------------------
    def match(self, client, links, values):
        links.match_ids.unlink()
        matcher = match.Matcher(self, client)
        adopted = self.links
        for link in links:
            sure, doubtful = matcher.match(values[link.product_id.id])
            if sure:
                link.bind(sure[0])
                self._bound.add(link.id)
                self.log_row(link, "match code", "success")
                adopted |= link
            elif doubtful:
                self._propose(link, doubtful)
        return adopted

    def _propose(self, link, candidates):
        """Park ``link`` for review with these (ItemID, Code, Name) candidates."""
        self.env["xero.item.match"].create([{
            "link_id": link.id, "sequence": i, "xero_item_id": item_id, "xero_code": code, "xero_name": name,
            "evidence": messages.evidence(self.env, name, code)} for i, (item_id, code, name) in enumerate(candidates)])
        link.mark_review(messages.needs_review(self.env, link.product_id.display_name, len(candidates)))
        self.log_row(link, "match", "skipped", link.error)

    def follow(self, link, item):
        if item is None and link.id in self._bound:
            # Bound just now from the worker's index, but deleted in Xero since it was read: the
            # product is created by the next run instead.
            match.forget(self, link.xero_item_id)
            link.bind(False)
            return None
        return super().follow(link, item)

    def payload(self, link, values, groups, current):
        # A tracked item's purchases go to its cost of goods sold account, which only Xero holds.
        known = mapper.from_xero(current) if current else {"tracked": link.xero_tracked}
        values = dict(values, tracked=known.get("tracked"), cogs_account=known.get("cogs_account"))
        return mapper.to_xero(values, groups=groups, create=groups is None)

    def recover(self, client, link, values, result):
        if link.xero_item_id or refusals.ITEM_CODE_TAKEN not in refusals.reasons(result.errors):
            return False  # an update to a code another item holds: the product's error says so
        code = values.get("code")
        holder = next(iter(client.iter_records("Items", where=where.equals("Code", code))), None)
        if not holder:
            return False
        other = self.links.search([("connection_id", "=", self.connection.id),
                                   ("xero_item_id", "=ilike", holder["ItemID"])], limit=1)
        if other:
            message = messages.code_taken(self.env, link.product_id.display_name, code, other.product_id.display_name)
            link.mark_error(message)
            self.log_row(link, "create", "error", message)
        else:
            # The item is this product's already (a lost answer, a restored database): link it,
            # and merge and update it with the next run.
            link.bind(holder["ItemID"])
            link.mark_pending()
            self.log_row(link, "match code", "success", xero_id=holder["ItemID"])
        return True

    def field_label(self, field):
        return messages.field_label(self.env, field)

    def refusal_message(self, record, errors):
        return messages.refused(self.env, record.display_name, errors)

    # -- pull ---------------------------------------------------------------------------------------
    def adopt(self, items):
        """Items whose code is the code of a product waiting for its first push, or of a product
        of the organisation's company not linked to it (outside the scope, say): that product
        is linked, no second one is created."""
        if self._waiting is None:
            waiting = self.links.search([("connection_id", "=", self.connection.id), ("xero_item_id", "=", False),
                                         ("needs_review", "=", False), ("create_new", "=", False)])
            codes = self.values(waiting.product_id) if waiting else {}
            self._waiting = {codes[link.product_id.id]["code"].strip().upper(): link for link in waiting}
        pairs, rest = [], []
        for item in items:
            link = self._waiting.pop((item.get("Code") or "").strip().upper(), None)
            if link:
                link.bind(item["ItemID"])
                pairs.append((link, item))
            else:
                rest.append(item)
        unlinked = self._unlinked_products([item.get("Code") for item in rest])
        if not unlinked:
            return pairs, rest
        links = self.links.create([{"product_id": product.id, "connection_id": self.connection.id}
                                   for product in unlinked.values()])
        by_code = dict(zip(unlinked, links))
        others = []
        for item in rest:
            link = by_code.get((item.get("Code") or "").strip().upper())
            if link:
                link.bind(item["ItemID"])
                pairs.append((link, item))
            else:
                others.append(item)
        return pairs, others

    def _unlinked_products(self, codes):
        """{upper-cased code: product} of the company's (or no company's) products whose internal
        reference is one of ``codes`` and that have no link with this connection."""
        codes = {c.strip().upper() for c in codes if c and c.strip()}
        if not codes:
            return {}
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT upper(pp.default_code), min(pp.id) FROM product_product pp
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE upper(pp.default_code) IN %s AND (pt.company_id IS NULL OR pt.company_id = %s)
               AND NOT EXISTS (SELECT 1 FROM xero_product_link l WHERE l.product_id = pp.id AND l.connection_id = %s)
             GROUP BY upper(pp.default_code)""", (tuple(codes), self.connection.company_id.id, self.connection.id))
        found = dict(self.env.cr.fetchall())
        return {code: self.records.browse(product_id) for code, product_id in found.items()}

    def write_values(self, record, values, groups):
        template_vals, variant_vals = self.writer.product_vals(record, values, groups)
        template_vals = changed(record.product_tmpl_id, template_vals)
        variant_vals = changed(record, variant_vals)
        if template_vals:
            template = record.product_tmpl_id.with_env(record.env)
            template.write(template_vals)
            # The other variants of the template changed too, and their items with this
            # organisation are not the one the values came from.
            siblings = template.with_context(active_test=False).product_variant_ids - record
            siblings.with_context(xero_pull=False)._xero_mark_pending(touched_groups(template_vals))
        if variant_vals:
            record.write(variant_vals)
        return bool(template_vals or variant_vals)

    def new_record_vals(self, values):
        return self.writer.new_product_vals(values)

    def create_all(self, vals_list):
        """Products in one ``create``, default values answered once for the lot."""
        with bulk.same_defaults():
            products = self.records.create(vals_list)
        bulk.no_image_resizes(products, vals_list)
        return products
