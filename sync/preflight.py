"""The preflight: before anything is written to Xero, and on the order form before anyone clicks,
every missing or invalid piece of a customer, product or order, in plain words naming the
record and the field. ``block`` problems stop the write; ``warn`` ones do not (Xero takes a
draft without account codes, and finance completes it there).

One function per object, all from one ``Preflight`` (the connection's map and Xero's settings
read once); the models' ``_xero_preflight(connection)`` call it.
"""
from ..xero.mappers import contact as contact_mapper
from ..xero.mappers import item as item_mapper
from .contacts import messages as contact_messages
from .contacts.values import contact_values
from .engine import messages as engine_messages
from .items import messages as item_messages
from .items.values import code_prefix, item_values
from .mapping import Mapping, messages, odoo_rate
from .orders import values as order_values
from ..xero.org_settings import rate_of

BLOCK, WARN = "block", "warn"
# Contact mapper fields -> the partner field people fix.
PARTNER_FIELDS = {"name": "name", "email": "email", "phone": "phone", "mobile": "mobile", "website": "website",
                  "tax_number": "vat", "number": "ref", "first_name": "name", "last_name": "name"}
PRODUCT_FIELDS = {"code": "default_code", "name": "name", "description": "description_sale",
                  "purchase_description": "description_purchase"}


def problem(level, record, field, message):
    return {"level": level, "record": record, "field": field, "message": message}


def blocking(problems):
    return [p for p in problems if p["level"] == BLOCK]


def _label(line):
    return (line.name or "").splitlines()[0][:60] if line.name else ""


class Preflight:
    def __init__(self, connection, mapping=None):
        self.connection = connection
        self.env = connection.env
        self.mapping = mapping or Mapping(connection)
        self.rules = self.mapping.rules
        # Xero's rules are checked only once its settings are known: never read, every account
        # would look unknown.
        self.known = bool(self.rules.organisation)
        opts = order_values.options(self.env)
        # A draft (and a quote, always a draft first) may lack account codes and tax rates:
        # finance completes it in Xero.
        drafts = opts["document"] == "quote" or opts["status"] == "DRAFT"
        self.missing = WARN if drafts else BLOCK
        self._products = {}
        # {customer id: its link with the connection}, filled by a caller that read them for many
        # orders at once (the order sync); others are read one by one.
        self.contact_links = {}

    # -- customers --------------------------------------------------------------------------
    def partner(self, partner):
        env = self.env
        partner = partner.commercial_partner_id
        values = contact_values(partner, self.connection, mapping=self.mapping)[partner.id]
        found = []
        for field, code, params in contact_mapper.problems(values):
            label = contact_messages.field_label(env, field)
            found.append(problem(BLOCK, partner, PARTNER_FIELDS.get(field.split(".")[0], field),
                                 engine_messages.problem(env, partner.display_name, label, code, params)))
        return found

    # -- products ---------------------------------------------------------------------------
    def product(self, product):
        if product.id not in self._products:
            self._products[product.id] = self._product(product)
        return self._products[product.id]

    def _product(self, product):
        env = self.env
        name = product.display_name
        values = item_values(product, self.connection, code_prefix(env))[product.id]
        found = [problem(BLOCK, product, PRODUCT_FIELDS.get(field, field),
                         engine_messages.problem(env, name, item_messages.field_label(env, field), code, params))
                 for field, code, params in item_mapper.problems(values)]
        return found + self.product_mapping(product)

    def product_mapping(self, product):
        """What the map gives a product's item (its sales account and tax), checked against
        Xero's settings; the item sync runs this before each write."""
        env = self.env
        name = product.display_name
        found = []
        code = self.mapping.sales_account(product)
        if code and self.known and self.rules.account_problem(code):
            found.append(problem(BLOCK, product, "property_account_income_id",
                                 messages.account_bad(env, name, code, self.rules.account_problem(code))))
        taxes = self.mapping.own_taxes(product.taxes_id)
        tax_type = self.mapping.tax_type(taxes)
        if taxes and not tax_type:
            found.append(problem(WARN, product, "taxes_id",
                                 messages.product_tax_unmapped(env, name, ", ".join(taxes.mapped("name")))))
        elif tax_type and self.known and self.rules.tax_problem(tax_type):
            found.append(problem(BLOCK, product, "taxes_id", messages.product_tax_bad(
                env, name, tax_type, self.rules.tax_problem(tax_type))))
        elif tax_type and code and self.known and self.rules.pair_refused(tax_type, code):
            found.append(problem(BLOCK, product, "taxes_id", messages.pair_refused(env, name, tax_type, code)))
        return found

    # -- orders -----------------------------------------------------------------------------
    def order(self, order):
        env = self.env
        name = order.display_name
        found = []
        if not self.known:
            found.append(problem(WARN, order, "company_id", messages.no_settings(env, self.connection.display_name)))
        customer = order_values.customer(order)
        if not customer:
            return found + [problem(BLOCK, order, "partner_id", messages.no_customer(env, name))]
        found += self.partner(customer)
        link = self.contact_links.get(customer.id)
        if link is None:
            link = env["xero.partner.link"].sudo()._links_of(customer, self.connection)
        if link.xero_archived:
            # Xero refuses a document for an archived contact.
            found.append(problem(BLOCK, customer, "active", messages.contact_archived(env, customer.display_name)))
        currency = order.currency_id.name
        if self.known and not self.rules.currency_enabled(currency):
            found.append(problem(BLOCK, order, "currency_id", messages.currency_disabled(env, name, currency)))
        lock, day = self.rules.lock_date, order_values.order_date(order)
        if lock and day <= lock:
            found.append(problem(BLOCK, order, "date_order", messages.locked(env, name, day, lock)))
        lines = order.order_line.filtered(lambda line: not line.display_type)
        if not lines:
            found.append(problem(BLOCK, order, "order_line", messages.no_lines(env, name)))
        if len(set(lines.tax_id.mapped("price_include"))) > 1:
            found.append(problem(BLOCK, order, "order_line", messages.mixed_included(env, name)))
        taxed = bool(lines.tax_id)
        for line in lines:
            found += self._line(order, line, taxed)
        return found

    def _line(self, order, line, taxed):
        env = self.env
        name, label = order.display_name, _label(line)
        found = []
        product = line.product_id
        if product:
            found += [p for p in self.product(product) if p["field"] != "taxes_id"]
        code = self.mapping.sales_account(product) if product else self.mapping.default_account
        if not code:
            found.append(problem(self.missing, line, "product_id", messages.line_account_missing(
                env, name, label, product.display_name if product else label)))
        for category, option in self.mapping.tracking(line)[1]:
            found.append(problem(WARN, line, "analytic_distribution",
                                 messages.line_tracking_missing(env, name, label, category, option)))
        taxes = line.tax_id
        if len(taxes) > 1:
            return found + [problem(BLOCK, line, "tax_id", messages.line_taxes_several(env, name, label))]
        tax_type = self.mapping.line_tax_type(taxes, taxed)
        if not taxes:
            if taxed and not tax_type:
                # Without a rate Xero would charge the account's default tax on this line.
                found.append(problem(self.missing, line, "tax_id", messages.line_untaxed(env, name, label)))
            return found
        if not tax_type:
            found.append(problem(self.missing, line, "tax_id",
                                 messages.line_tax_unmapped(env, name, label, taxes.name)))
        elif self.known and self.rules.tax_problem(tax_type):
            found.append(problem(BLOCK, line, "tax_id", messages.line_tax_bad(
                env, name, label, tax_type, self.rules.tax_problem(tax_type))))
        elif self.known:
            if code and self.rules.pair_refused(tax_type, code):
                found.append(problem(BLOCK, line, "tax_id", messages.pair_refused(env, name, tax_type, code)))
            ours, theirs = odoo_rate(taxes), self.rules.tax_rate(tax_type)
            if ours is not None and round(ours, 4) != rate_of(theirs):
                found.append(problem(WARN, line, "tax_id", messages.line_rate_differs(
                    env, name, label, ours, rate_of(theirs))))
        return found
