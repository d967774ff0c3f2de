"""The engine's two sales documents: quotes and invoices (see the package's description)."""
from decimal import Decimal

from odoo import fields

from ...xero import merge as xero_merge, where
from ...xero.mappers import document, invoice
from ...xero.mappers.document import INVOICE_REPLACED, QUOTE_REPLACED
from ...xero.org_settings import rate_of
from ..engine import attempts
from ..engine.registry import register
from ..engine.sync_type import SyncType
from ..mapping import Mapping
from ..preflight import Preflight, blocking
from . import messages, values as order_values

ROUNDING_PARAM = "xero_connector.rounding_adjustment"
MAX_ROUNDING = Decimal("0.05")  # beyond this a difference is not rounding: it is flagged


class DocumentSync(SyncType):
    """What invoices and quotes share; ``kind``, ``mapper`` and the link model are each one's."""
    unsure_creates = True
    own_pull = True
    sent_only = True  # the organisation's other documents are not orders
    # An order's values (lines, taxes, accounts) weigh more than a contact's: 200 a transaction
    # keep the push's memory the same for 200 orders or 100,000 (four writes of 50 each).
    push_batch = 200
    noun = None  # "invoice" or "quote"

    def __init__(self, connection):
        super().__init__(connection)
        self.mapping = self._preflight = None
        self._current = {}  # {order id: the document as Xero has it now}, read before an update
        self._parties = {}  # {order id: [readable reasons its customer or products are not in Xero]}
        self._waiting = {}  # {order id: True while its customer or products are on their way to Xero}

    def _conflict_rules(self):
        # Odoo owns the content: sent again after a change, the order's lines replace what was
        # edited in Xero meanwhile (Xero's own facts, status and payments, are never sent).
        return {"document": xero_merge.ODOO}

    def start(self, client):
        rules = self.connection._xero_fresh_settings(client) if client else self.connection.xero_settings_id._rules()
        self.mapping = Mapping(self.connection, rules)
        self._preflight = Preflight(self.connection, self.mapping)

    # -- which records, and their values --------------------------------------------------------
    def is_active(self, order):
        return order.state != "cancel"

    def values(self, orders):
        contacts, codes = self._parties_in_xero(orders)
        out = {}
        for order in orders:
            # A customer not in Xero (its reason is the check's): the values stay checkable.
            contact_id = contacts.get(order_values.customer(order).id) or messages.NOT_IN_XERO
            values = order_values.order_values(order, self.mapping, contact_id, codes)
            values["status"] = self.status(order, values)
            out[order.id] = self._rounded(order, values)
        return out

    def before_push(self, orders):
        """The orders' customers and products not in Xero yet are sent first, ahead of their own
        queues (whatever the products' scope)."""
        self.env["xero.partner.link"]._push_now(orders.mapped(order_values.customer), self.connection)
        products = orders.order_line.product_id
        if products:
            self.env["xero.product.link"]._push_now(products, self.connection)

    def _parties_in_xero(self, orders):
        """({customer id: ContactID}, {product id: item code}) of these orders, as linked now."""
        customers = orders.mapped(order_values.customer)
        products = orders.order_line.product_id
        by_customer = {link.partner_id.id: link
                       for link in self.env["xero.partner.link"]._links_of(customers, self.connection)}
        by_product = {link.product_id.id: link
                      for link in self.env["xero.product.link"]._links_of(products, self.connection)}
        if self._preflight is not None:
            self._preflight.contact_links.update(by_customer)
        orders.order_line.tax_id.mapped("price_include")  # read once for the batch, not per order
        contacts = {pid: link.xero_contact_id for pid, link in by_customer.items() if link.xero_contact_id}
        codes = {pid: link.xero_code for pid, link in by_product.items() if link.xero_item_id and link.xero_code}
        for order in orders:
            customer = order_values.customer(order)
            missing = [(customer, by_customer.get(customer.id))] if customer.id not in contacts else []
            missing += [(product, by_product.get(product.id)) for product in order.order_line.product_id
                        if product.id not in codes]
            # Refused, archived or not this organisation's: the order says why. Still on its way
            # (the quota, another worker, a retry to come): it waits.
            self._parties[order.id] = [messages.party_missing(self.env, record.display_name, link)
                                       for record, link in missing if not _on_its_way(link)]
            self._waiting[order.id] = bool(missing) and not self._parties[order.id]
        return contacts, codes

    def status(self, order, values):
        return values["status"]

    def _rounded(self, order, values):
        """Xero rounds tax per line: when that leaves the order's total a few cents apart, a
        line on the organisation's rounding account makes both totals equal (a setting)."""
        rules = self.mapping.rules
        if not self.env["ir.config_parameter"].sudo().get_param(ROUNDING_PARAM) or not rules.rounding_account:
            return values
        rates = {}
        for line in values["lines"]:
            tax_type = line.get("tax_type")
            if tax_type and tax_type not in rates:
                rate = rules.tax_rate(tax_type)
                if rate is None:
                    return values  # a rate Xero does not know: the check stops the document
                rates[tax_type] = rate_of(rate)
        _sub, _tax, total = invoice.totals(values["lines"], rates, values["amounts"])
        difference = Decimal(str(order.amount_total)).quantize(Decimal("0.01")) - total
        if not difference or abs(difference) > MAX_ROUNDING:
            return values
        line = {"description": messages.rounding_line(self.env), "quantity": 1, "unit_amount": float(difference),
                "account_code": rules.rounding_account,
                "tax_type": rules.no_tax_type() if values["amounts"] != "notax" else None}
        return dict(values, lines=values["lines"] + [line])

    # -- the push -------------------------------------------------------------------------------
    def waits(self, order):
        return self._waiting.get(order.id, False)

    def check(self, order):
        found = list(self._parties.get(order.id) or [])
        current = self._current.get(order.id)
        if current is not None and current.get("Status") not in self.mapper.editable:
            found.append(messages.not_editable(self.env, order.display_name, self.noun, current.get("Status")))
        if self._preflight is not None:
            found += [p["message"] for p in blocking(self._preflight.order(order))]
        return found

    def match(self, client, links, values):
        """Orders whose earlier create may have reached Xero: the document with their reference
        is theirs (one lookup for them all). The others are created."""
        orders = links.mapped("order_id")
        unsure = attempts.unsure(self, orders)
        adopted = self.links
        if not unsure:
            return adopted
        unsure_orders = orders.filtered(lambda o: o.id in unsure)
        contacts = self._contact_ids(unsure_orders)
        found = self._find_sent(client, unsure_orders, contacts)
        for link in links.filtered(lambda link: link.order_id.id in unsure):
            record = found.get((link.order_id.name, contacts.get(link.order_id.id)))
            if record:
                link.bind(record[self.id_field])
                self.log_row(link, "match reference", "success", xero_id=record[self.id_field])
                adopted |= link
        attempts.clear(self, adopted.order_id)
        return adopted

    def _contact_ids(self, orders):
        """{order id: its customer's Xero ContactID}, as linked now."""
        links = self.env["xero.partner.link"]._links_of(orders.mapped(order_values.customer), self.connection)
        by_partner = {link.partner_id.id: link.xero_contact_id for link in links}
        return {order.id: by_partner.get(order_values.customer(order).id) for order in orders}

    def _find_sent(self, client, orders, contacts):
        """{(reference, ContactID): the live Xero document} among those these orders may have
        created (an invoice of another customer with the same reference is not theirs)."""
        raise NotImplementedError

    def requeue_domain(self):
        # A changed mapping is sent to documents Xero still lets change, and to those not there yet.
        return ["|", (self.links._xero_id_field, "=", False), ("xero_status", "in", list(self.mapper.editable))]

    def follow(self, link, xero_record):
        if xero_record is not None:
            self._current[link.order_id.id] = xero_record
        return super().follow(link, xero_record)

    def payload(self, link, values, groups, current):
        if current:
            values = document.keep_line_ids(values, current)
        return self.mapper.to_xero(values, groups=groups, create=groups is None)

    def field_label(self, field):
        return order_values.invoice_label(self.env, field)

    # -- the pull: Xero's facts only ------------------------------------------------------------
    def create_records(self, xero_records):
        """Documents made in Xero are not orders: nothing is created in Odoo."""

    def write_values(self, record, values, groups):
        """What finance changed in a document in Xero is kept there, not written into the
        order: the order's next change is sent over it."""
        return False


@register
class QuoteSync(DocumentSync):
    name = "quotes"
    label = "Quotes"
    sequence = 30
    link_model = "xero.quote.link"
    record_model = "sale.order"
    kind = "Quotes"
    noun = "quote"
    mapper = document.QUOTES

    def status(self, order, values):
        """DRAFT while the quotation is being prepared, SENT once sent to the customer, ACCEPTED
        once confirmed, INVOICED once its invoice is in Xero (Xero has no conversion: the invoice
        is created on its own, and the quote says so, so that nobody invoices it a second time)."""
        if order.state == "sale":
            invoiced = order.sudo().xero_invoice_link_ids.filtered(
                lambda link: link.connection_id == self.connection and link.xero_invoice_id)
            return "INVOICED" if invoiced else "ACCEPTED"
        return {"sent": "SENT"}.get(order.state, "DRAFT")

    def link_values(self, quote):
        return {"xero_status": quote.get("Status"), "xero_number": quote.get("QuoteNumber")}

    def _find_sent(self, client, orders, contacts):
        found, names = {}, set(orders.mapped("name"))
        for contact_id in {c for c in contacts.values() if c}:
            for quote in client.iter_records("Quotes", contact_id=contact_id):
                if quote.get("Reference") in names and quote.get("Status") not in QUOTE_REPLACED:
                    found.setdefault((quote["Reference"], contact_id), quote)
        return found


@register
class InvoiceSync(DocumentSync):
    name = "invoices"
    label = "Invoices"
    sequence = 40
    link_model = "xero.order.link"
    record_model = "sale.order"
    kind = "Invoices"
    webhook_category = "INVOICE"
    noun = "invoice"
    mapper = document.INVOICES
    # What the scheduled pull reads: sales invoices that can owe or settle (a draft changed in
    # Xero is finance's work in progress, and is read again before any update; bills are not ours).
    pull_options = {"statuses": ["SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED"],
                    "where": where.equals("Type", "ACCREC")}

    def status(self, order, values):
        # Approving is a step of its own (``action_xero_approve``): a document is created
        # awaiting approval at most, whoever sends it.
        return "SUBMITTED" if values["status"] in ("SUBMITTED", "AUTHORISED") else "DRAFT"

    def link_values(self, record):
        facts = document.facts(record)
        day = fields.Date.to_date
        return {"xero_status": facts["status"], "xero_number": facts["number"], "xero_total": facts["total"],
                "xero_sub_total": facts["sub_total"], "xero_total_tax": facts["total_tax"],
                "xero_amount_due": facts["amount_due"], "xero_amount_paid": facts["amount_paid"],
                "xero_amount_credited": facts["amount_credited"], "xero_due_date": day(facts["due_date"]),
                "xero_fully_paid_date": day(facts["fully_paid_date"]),
                "xero_expected_payment_date": day(facts["expected_payment_date"]),
                "xero_sent_to_contact": facts["sent_to_contact"]}

    def _find_sent(self, client, orders, contacts):
        found = {}
        clauses = (where.equals("Reference", name) for name in orders.mapped("name"))
        for by_reference in where.any_of(clauses):
            for record in client.iter_records("Invoices", where=by_reference, page_size=100):
                contact_id = (record.get("Contact") or {}).get("ContactID")
                if record.get("Type") == "ACCREC" and record.get("Status") not in INVOICE_REPLACED:
                    found.setdefault((record.get("Reference"), contact_id), record)
        return found


def _on_its_way(link):
    """A customer's or product's link that will reach Xero without anyone's help."""
    return bool(link) and (link.state == "pending" or (link.state == "error" and link.next_retry))
