"""Receivables: a read-only mirror of the customers' Xero sales invoices and credit notes.

Two engine objects, ``receivable_invoices`` and ``receivable_credit_notes``, read by the
payments' scheduled action with the engine's pull (watermark, pages committed one by one, so a
first read of years of history resumes where it stopped, within the quota the background may
use). On the first read only the last ``xero_connector.history_years`` years come (default 3).
A page is written in one statement (``keep_page``); each document is tied to the Odoo customer
linked to its Xero contact (rolled up to the commercial entity) and to the order it came from.
The figures people read are ``figures.py``; credit control is ``credit.py``.
"""
from odoo import fields

from ...xero import dates, where
from ...xero.mappers import receivable
from ..engine.registry import register
from ..engine.sync_type import SyncType

HISTORY_PARAM = "xero_connector.history_years"
_COLUMNS = ("connection_id", "company_id", "partner_id", "xero_contact_id", "xero_invoice_id", "kind", "number",
            "reference", "status", "currency_id", "currency_rate", "total", "amount_due", "amount_paid",
            "amount_credited", "balance", "paid_base", "date", "due_date", "fully_paid_date",
            "expected_payment_date", "last_payment_date", "payment_count", "days_to_pay", "order_id",
            "xero_updated", "base_currency_id", "payments")


def history_start(env, today=None):
    try:
        years = int(env["ir.config_parameter"].sudo().get_param(HISTORY_PARAM) or 3)
    except ValueError:
        years = 3
    years = min(max(years, 1), 50)
    today = today or fields.Date.context_today(env.user)
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class MirrorSync(SyncType):
    """What the two mirrors share; ``document`` is the mapper's kind."""
    mirror = True
    own_pull = True
    document = None
    link_model = "xero.invoice"
    record_model = "xero.invoice"
    mapper = receivable
    page_size = 1000

    def __init__(self, connection):
        super().__init__(connection)
        # The first read: the last years, and whatever still owes however old. Later reads take
        # every change, so a document near the window's edge is never left owing here.
        self.pull_options = self._window() if not self.state.pulled_at else {
            "where": receivable.type_filter(self.document)}
        self._currencies = self._base_currency = None

    def _window(self):
        """The documents worth keeping: the last years', and those still owing however old."""
        return {"where": '%s AND (%s OR Status=="AUTHORISED")' % (
            receivable.type_filter(self.document), where.on_or_after("Date", history_start(self.env)))}

    def reconcile_options(self):
        return self._window()

    def reconcile_unseen(self):
        """What the window leaves out but may still change: documents kept here as owing, dated
        before it (paid, voided or credited since, they would otherwise stay owing here)."""
        self.env["xero.invoice"].flush_model()
        self.env.cr.execute("""SELECT xero_invoice_id FROM xero_invoice WHERE connection_id = %s AND kind = %s
                                  AND status = 'AUTHORISED' AND date < %s ORDER BY id""",
                            (self.connection.id, self.document, history_start(self.env)))
        return [row[0] for row in self.env.cr.fetchall()]

    def start(self, client):
        """Documents whose contact was linked (or linked to another customer) since they were read
        get their customer now."""
        self.env.flush_all()
        self.env.cr.execute("""
            UPDATE xero_invoice i SET partner_id = coalesce(p.commercial_partner_id, p.id)
              FROM xero_partner_link l JOIN res_partner p ON p.id = l.partner_id
             WHERE i.connection_id = %(connection)s AND l.connection_id = i.connection_id
               AND lower(l.xero_contact_id) = lower(i.xero_contact_id)
               AND i.partner_id IS DISTINCT FROM coalesce(p.commercial_partner_id, p.id)
        """, {"connection": self.connection.id})

    def keep_page(self, xero_records):
        pairs = [(receivable.from_xero(record, self.document), record) for record in xero_records]
        wanted = receivable.KINDS[self.document][2]  # (read by id, a bill's removed payment: not ours)
        pairs = [(row, record) for row, record in pairs
                 if row["xero_invoice_id"] and record.get("Type", wanted) == wanted]
        rows = [row for row, _record in pairs]
        if not rows:
            return None
        partners = self._ids_of("xero_partner_link", "xero_contact_id", "partner_id",
                                {row["contact_id"] for row in rows if row["contact_id"]})
        commercial = self._commercial(set(partners.values()))
        orders = self._ids_of("xero_order_link", "xero_invoice_id", "order_id",
                              {row["xero_invoice_id"] for row in rows}) if self.document == "invoice" else {}
        company = self.connection.company_id.id
        values = [self._row(row, company, commercial.get(partners.get(row["contact_id"])),
                            orders.get(row["xero_invoice_id"]), dates.updated(record))
                  for row, record in pairs]
        self._upsert(values)
        times = [t for t in map(dates.updated, xero_records) if t]
        return max(times) if times else None

    def _row(self, row, company, partner_id, order_id, updated):
        rate = row["currency_rate"] or 1.0
        live = row["status"] in receivable.LIVE
        sign = -1 if self.document == "credit_note" else 1
        days = None
        # Days to pay: invoices paid in full with money (one settled by a credit note was not paid).
        if self.document == "invoice" and row["fully_paid_date"] and row["date"] and row["payment_count"]:
            days = (fields.Date.to_date(row["fully_paid_date"]) - fields.Date.to_date(row["date"])).days
        return (self.connection.id, company, partner_id, row["contact_id"], row["xero_invoice_id"], self.document,
                row["number"], row["reference"], row["status"], self._currency(row["currency"]), rate,
                row["total"], row["amount_due"], row["amount_paid"], row["amount_credited"],
                round(sign * row["amount_due"] / rate, 2) if live else 0.0,
                round(row["amount_paid"] / rate, 2) if live and sign > 0 else 0.0,
                row["date"], row["due_date"], row["fully_paid_date"], row["expected_payment_date"],
                row["last_payment_date"], row["payment_count"], days, order_id, updated, self.base_currency(),
                row["payments"] or None)

    def _upsert(self, values):
        cr = self.env.cr
        columns = ", ".join(_COLUMNS)
        updates = ", ".join("%s = EXCLUDED.%s" % (c, c) for c in _COLUMNS if c not in ("connection_id", "kind",
                                                                                       "xero_invoice_id"))
        now, uid = fields.Datetime.now(), self.env.uid
        placeholders = "(%s)" % ", ".join(["%s"] * (len(_COLUMNS) + 4))
        query = """
            INSERT INTO xero_invoice ({columns}, create_uid, write_uid, create_date, write_date)
            VALUES {rows}
            ON CONFLICT (connection_id, kind, xero_invoice_id) DO UPDATE SET {updates},
                write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
        """.format(columns=columns, updates=updates,
                   rows=", ".join(cr.mogrify(placeholders, v + (uid, uid, now, now)).decode() for v in values))
        # One statement for the page: the identifiers are this module's constants, the values
        # are escaped by the driver (mogrify).
        cr.execute(query)  # pylint: disable=sql-injection
        self.env["xero.invoice"].invalidate_model()

    def _ids_of(self, table, key, value, keys):
        """{key: value} of this connection's rows of ``table`` whose ``key`` is among ``keys``."""
        if not keys:
            return {}
        self.env.cr.execute("SELECT lower({key}), {value} FROM {table} WHERE connection_id = %s AND lower({key}) IN %s"
                            .format(key=key, value=value, table=table),
                            (self.connection.id, tuple(k.lower() for k in keys)))
        found = dict(self.env.cr.fetchall())
        return {k: found.get(k.lower()) for k in keys if found.get(k.lower())}

    def _commercial(self, partner_ids):
        if not partner_ids:
            return {}
        self.env.cr.execute("SELECT id, coalesce(commercial_partner_id, id) FROM res_partner WHERE id IN %s",
                            (tuple(partner_ids),))
        return dict(self.env.cr.fetchall())

    def base_currency(self):
        """The organisation's base currency (as its settings were last read), else the company's."""
        if self._base_currency is None:
            self._base_currency = self.connection._xero_base_currency().id
        return self._base_currency

    def _currency(self, code):
        if self._currencies is None:
            self.env.cr.execute("SELECT name, id FROM res_currency")
            self._currencies = dict(self.env.cr.fetchall())
        return self._currencies.get(code)


@register
class ReceivableInvoiceSync(MirrorSync):
    name = "receivable_invoices"
    label = "Receivables: invoices"
    sequence = 60
    kind = "Invoices"
    webhook_category = "INVOICE"
    document = "invoice"


@register
class ReceivableCreditNoteSync(MirrorSync):
    name = "receivable_credit_notes"
    label = "Receivables: credit notes"
    sequence = 61
    kind = "CreditNotes"
    webhook_category = "CREDITNOTE"
    document = "credit_note"
