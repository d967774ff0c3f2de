"""Sales → Xero reports, for the Xero finance group, each a graph, a pivot and a list.

Read-only SQL views on the receivables mirror (``xero.invoice``) and the orders, one company's
figures each (a record rule per company):

- ``xero.receivable.report``: one row per approved or paid Xero invoice or credit note, with its
  ageing today, its sales team, salesperson and lead source (the order's, else the customer's
  salesperson's): *Ageing by customer* and the *Cash-flow forecast* (what is owed, by expected
  payment date, else due date);
- ``xero.revenue.report``: what was received per sales team and month, beside the team's
  monthly invoicing target (``crm.team.invoiced_target``);
- ``xero.customer.value.report``: one row per customer, what they paid over their life, by the
  lead source of their first confirmed order that has one;
- ``xero.leakage.report``: confirmed orders still with no Xero invoice (never sent, in error,
  only a quote, or their invoice voided) more than ``xero_connector.leakage_days`` days
  (default 7) after confirmation.

And ``xero.dashboard``: a row per company, counted when it is opened, with receivables and
overdue beside the open pipeline (quotations, and open opportunities when CRM is installed).

Amounts of the mirror are in the organisation's base currency (Xero's rates), those of orders in
the company's currency. The mirror keeps, per invoice, what it received and the date of its last
payment, not each payment: an invoice paid in instalments counts as received in the month of its
last payment, tax included.
"""
# Small files with one role each: this one extends the settings that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
import datetime

from odoo import api, fields, models, tools

from ..xero.mappers import receivable
from .xero_invoice import KINDS, STATUSES

BUCKETS = [("current", "Not due"), ("1_30", "1-30 days"), ("31_60", "31-60 days"), ("61_90", "61-90 days"),
           ("90_plus", "Over 90 days"), ("credit", "Credit held")]
LEAKAGE_REASONS = [("not_sent", "Never sent"), ("pending", "Waiting to be sent"), ("error", "Not sent: error"),
                   ("quote", "Only a quote in Xero"), ("voided", "Invoice voided or deleted")]
LEAKAGE_PARAM = "xero_connector.leakage_days"
LEAKAGE_DEFAULT = 7
# What owes or has owed: drafts are not receivables yet, voided ones no more.
_LIVE = "(%s)" % ", ".join("'%s'" % status for status in receivable.LIVE)
# A document's order, its customer and the salesperson: the order's team and salesperson, else
# the customer's salesperson and their team.
_PEOPLE_JOINS = """
    LEFT JOIN sale_order o ON o.id = i.order_id
    LEFT JOIN res_partner p ON p.id = i.partner_id
    LEFT JOIN res_users u ON u.id = COALESCE(o.user_id, p.user_id)
"""
_TEAM = "COALESCE(o.team_id, u.sale_team_id)"
# The organisation's base currency, the mirror's amounts' (the company's currency until Xero's
# settings are read): of a document's connection, or of the company's newest connection.
_DOCUMENT_CURRENCY_JOINS = """
    LEFT JOIN xero_org_settings s ON s.connection_id = i.connection_id
    LEFT JOIN res_currency bc ON bc.name = s.base_currency
"""
_COMPANY_BASE_CURRENCY = """COALESCE((
    SELECT bc.id FROM xero_connection xc
      JOIN xero_org_settings s ON s.connection_id = xc.id
      JOIN res_currency bc ON bc.name = s.base_currency
     WHERE xc.company_id = c.id
     ORDER BY xc.active DESC, xc.id DESC LIMIT 1), c.currency_id)"""
_COMPANY_AMOUNT = "o.{0} / (CASE COALESCE(o.currency_rate, 0) WHEN 0 THEN 1.0 ELSE o.currency_rate END)"

_QUOTATIONS = """
    SELECT count(*), COALESCE(sum({untaxed}), 0) FROM sale_order o
     WHERE o.company_id = %s AND o.state IN ('draft', 'sent')
""".format(untaxed=_COMPANY_AMOUNT.format("amount_untaxed"))
_BASE_CURRENCY = "SELECT %s FROM res_company c WHERE c.id = %%s" % _COMPANY_BASE_CURRENCY


def _create_view(model, query):
    """(Re)create ``model``'s SQL view as ``query``."""
    tools.drop_view_if_exists(model.env.cr, model._table)
    # The view's text is this module's constants: no user value reaches it.
    model.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s)" % (model._table, query))  # pylint: disable=sql-injection


class XeroReceivableReport(models.Model):
    _name = "xero.receivable.report"
    _description = "Xero receivables analysis"
    _auto = False
    _order = "due_date, id"
    _rec_name = "number"

    document_id = fields.Many2one("xero.invoice", readonly=True)
    number = fields.Char(readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    status = fields.Selection(STATUSES, readonly=True)
    connection_id = fields.Many2one("xero.connection", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", "Base currency", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales team", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    source_id = fields.Many2one("utm.source", "Lead source", readonly=True, help="The order's UTM source.")
    date = fields.Date(readonly=True)
    due_date = fields.Date("Due", readonly=True)
    expected_payment_date = fields.Date("Expected payment", readonly=True)
    forecast_date = fields.Date("Expected on", readonly=True,
                                help="The expected payment date set in Xero, else the due date.")
    last_payment_date = fields.Date("Last payment", readonly=True)
    balance = fields.Monetary("Owed", readonly=True, help="Credit notes count against by the credit they hold.")
    paid_base = fields.Monetary("Received", readonly=True)
    overdue = fields.Monetary(readonly=True)
    days_overdue = fields.Integer("Days overdue", readonly=True, aggregator="max")
    bucket = fields.Selection(BUCKETS, "Ageing", readonly=True,
                              help="Days past the due date today, for what is still owed.")

    def init(self):
        _create_view(self, """
            SELECT i.id, i.id AS document_id, i.number, i.kind, i.status, i.connection_id, i.company_id,
                   COALESCE(bc.id, c.currency_id) AS currency_id, i.partner_id, i.order_id, {team} AS team_id,
                   COALESCE(o.user_id, p.user_id) AS user_id, o.source_id,
                   i.date, i.due_date, i.expected_payment_date,
                   COALESCE(i.expected_payment_date, i.due_date, i.date) AS forecast_date,
                   i.last_payment_date, i.balance, i.paid_base,
                   CASE WHEN i.kind = 'invoice' AND i.balance > 0 AND i.due_date < CURRENT_DATE
                        THEN i.balance ELSE 0 END AS overdue,
                   CASE WHEN i.kind = 'invoice' AND i.balance > 0 AND i.due_date < CURRENT_DATE
                        THEN CURRENT_DATE - i.due_date ELSE 0 END AS days_overdue,
                   CASE WHEN COALESCE(i.balance, 0) = 0 THEN NULL
                        WHEN i.kind = 'credit_note' THEN 'credit'
                        WHEN i.due_date IS NULL OR i.due_date >= CURRENT_DATE THEN 'current'
                        WHEN CURRENT_DATE - i.due_date <= 30 THEN '1_30'
                        WHEN CURRENT_DATE - i.due_date <= 60 THEN '31_60'
                        WHEN CURRENT_DATE - i.due_date <= 90 THEN '61_90'
                        ELSE '90_plus' END AS bucket
              FROM xero_invoice i
              JOIN xero_connection xcn ON xcn.id = i.connection_id AND xcn.active
              JOIN res_company c ON c.id = i.company_id
              {joins}
              {currency}
             WHERE i.status IN {live}
        """.format(team=_TEAM, joins=_PEOPLE_JOINS, currency=_DOCUMENT_CURRENCY_JOINS, live=_LIVE))

    def action_open_document(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "xero.invoice", "res_id": self.document_id.id,
                "view_mode": "form", "views": [(False, "form")]}


class XeroRevenueReport(models.Model):
    _name = "xero.revenue.report"
    _description = "Xero revenue received against targets"
    _auto = False
    _order = "month desc, team_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", "Base currency", readonly=True)
    company_currency_id = fields.Many2one("res.currency", "Company currency", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales team", readonly=True)
    month = fields.Date(readonly=True)
    received = fields.Monetary(readonly=True, help="Received on the team's Xero invoices, tax included, in the "
                                                   "month of each invoice's last payment.")
    target = fields.Monetary("Invoicing target", readonly=True, currency_field="company_currency_id",
                             help="The team's monthly invoicing target.")
    invoice_count = fields.Integer("Invoices paid", readonly=True)

    def init(self):
        # A row per company, team and month: what was received, and the target of each team of
        # the company that has one, every month from the company's first payment to this one.
        _create_view(self, """
            WITH received AS (
                SELECT i.company_id, {team} AS team_id,
                       date_trunc('month', i.last_payment_date::timestamp)::date AS month,
                       sum(i.paid_base) AS received, count(*) AS invoice_count
                  FROM xero_invoice i
              JOIN xero_connection xcn ON xcn.id = i.connection_id AND xcn.active
                  {joins}
                 WHERE i.kind = 'invoice' AND i.status IN {live} AND i.paid_base <> 0
                   AND i.last_payment_date IS NOT NULL
                 GROUP BY 1, 2, 3
            ), bounds AS (
                SELECT company_id, LEAST(COALESCE(min(month), date_trunc('month', CURRENT_DATE::timestamp)::date),
                                         date_trunc('month', CURRENT_DATE::timestamp)::date) AS first_month
                  FROM (SELECT DISTINCT company_id FROM xero_invoice) companies
                  LEFT JOIN received USING (company_id)
                 GROUP BY company_id
            ), targets AS (
                SELECT b.company_id, t.id AS team_id, m::date AS month, t.invoiced_target AS target
                  FROM bounds b
                  JOIN crm_team t ON t.active AND COALESCE(t.invoiced_target, 0) <> 0
                                 AND (t.company_id IS NULL OR t.company_id = b.company_id)
                 CROSS JOIN generate_series(b.first_month::timestamp, date_trunc('month', CURRENT_DATE::timestamp),
                                            interval '1 month') m
            ), merged AS (
                SELECT company_id, team_id, month, COALESCE(r.received, 0) AS received,
                       COALESCE(t.target, 0) AS target, COALESCE(r.invoice_count, 0) AS invoice_count
                  FROM received r
                  FULL JOIN targets t USING (company_id, team_id, month)
            )
            SELECT (m.company_id::bigint * 1000000 + COALESCE(m.team_id, 0)) * 100000
                       + (extract(year FROM m.month) * 12 + extract(month FROM m.month))::bigint AS id,
                   m.company_id, {base_currency} AS currency_id, c.currency_id AS company_currency_id,
                   m.team_id, m.month, m.received, m.target, m.invoice_count
              FROM merged m
              JOIN res_company c ON c.id = m.company_id
        """.format(team=_TEAM, joins=_PEOPLE_JOINS, live=_LIVE, base_currency=_COMPANY_BASE_CURRENCY))


class XeroCustomerValueReport(models.Model):
    _name = "xero.customer.value.report"
    _description = "Xero customer lifetime value by lead source"
    _auto = False
    _order = "lifetime_paid desc, id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", "Base currency", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    source_id = fields.Many2one("utm.source", "Lead source", readonly=True,
                                help="The UTM source of the customer's first confirmed order that has one.")
    first_order_id = fields.Many2one("sale.order", "First order with a source", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales team", readonly=True, help="The team of that first order.")
    customer_count = fields.Integer("Customers", readonly=True)
    lifetime_paid = fields.Monetary("Lifetime paid", readonly=True, help="Received on the customer's Xero invoices.")
    average_paid = fields.Monetary("Average lifetime value", readonly=True, aggregator="avg")
    outstanding = fields.Monetary("Owed", readonly=True)
    invoice_count = fields.Integer("Invoices", readonly=True)
    first_invoice_date = fields.Date("First invoice", readonly=True)
    last_payment_date = fields.Date("Last payment", readonly=True, aggregator="max")

    def init(self):
        _create_view(self, """
            WITH customers AS (
                SELECT min(i.id) AS id, i.company_id, i.partner_id,
                       sum(i.paid_base) AS lifetime_paid, sum(i.balance) AS outstanding,
                       count(*) FILTER (WHERE i.kind = 'invoice') AS invoice_count,
                       min(i.date) FILTER (WHERE i.kind = 'invoice') AS first_invoice_date,
                       max(i.last_payment_date) AS last_payment_date
                  FROM xero_invoice i
              JOIN xero_connection xcn ON xcn.id = i.connection_id AND xcn.active
                 WHERE i.status IN {live} AND i.partner_id IS NOT NULL
                 GROUP BY i.company_id, i.partner_id
            ), first_orders AS (
                -- Each customer's first confirmed order with a lead source, found once for all.
                SELECT DISTINCT ON (op.commercial_partner_id, o.company_id)
                       op.commercial_partner_id AS partner_id, o.company_id, o.id AS order_id, o.source_id, o.team_id
                  FROM sale_order o
                  JOIN res_partner op ON op.id = o.partner_id
                 WHERE o.state = 'sale' AND o.source_id IS NOT NULL
                 ORDER BY op.commercial_partner_id, o.company_id, o.date_order, o.id
            )
            SELECT cu.id, cu.company_id, {base_currency} AS currency_id, cu.partner_id, f.source_id,
                   f.order_id AS first_order_id, f.team_id, 1 AS customer_count, cu.lifetime_paid,
                   cu.lifetime_paid AS average_paid, cu.outstanding, cu.invoice_count, cu.first_invoice_date,
                   cu.last_payment_date
              FROM customers cu
              JOIN res_company c ON c.id = cu.company_id
              LEFT JOIN first_orders f ON f.partner_id = cu.partner_id AND f.company_id = cu.company_id
        """.format(live=_LIVE, base_currency=_COMPANY_BASE_CURRENCY))


class XeroLeakageReport(models.Model):
    _name = "xero.leakage.report"
    _description = "Xero revenue leakage: confirmed orders not billed in Xero"
    _auto = False
    _order = "date_order, id"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales team", readonly=True)
    source_id = fields.Many2one("utm.source", "Lead source", readonly=True)
    date_order = fields.Datetime("Confirmed on", readonly=True)
    days_waiting = fields.Integer("Days not billed", readonly=True, aggregator="max")
    reason = fields.Selection(LEAKAGE_REASONS, "Why", readonly=True)
    amount_untaxed = fields.Monetary("Untaxed amount", readonly=True)
    amount_total = fields.Monetary("Total", readonly=True)

    def init(self):
        # The number of days is read when the view is, so a new setting counts at once.
        _create_view(self, """
            SELECT o.id, o.id AS order_id, o.company_id, c.currency_id, o.partner_id, o.user_id, o.team_id,
                   o.source_id, o.date_order, CURRENT_DATE - o.date_order::date AS days_waiting,
                   CASE WHEN o.xero_status IN ('VOIDED', 'DELETED') THEN 'voided'
                        WHEN o.xero_sync_state = 'error' THEN 'error'
                        WHEN o.xero_sync_state = 'pending' THEN 'pending'
                        WHEN o.xero_quote_id IS NOT NULL THEN 'quote'
                        ELSE 'not_sent' END AS reason,
                   {untaxed} AS amount_untaxed, {total} AS amount_total
              FROM sale_order o
              JOIN res_company c ON c.id = o.company_id
             WHERE o.state = 'sale'
               AND (o.xero_invoice_id IS NULL OR o.xero_status IN ('VOIDED', 'DELETED'))
               AND o.date_order < (now() AT TIME ZONE 'UTC') - make_interval(days => COALESCE(
                   (SELECT CASE WHEN value ~ '^ *[0-9]{{1,5}} *$' THEN btrim(value)::int END
                      FROM ir_config_parameter WHERE key = '{param}'), {default}))
        """.format(untaxed=_COMPANY_AMOUNT.format("amount_untaxed"), total=_COMPANY_AMOUNT.format("amount_total"),
                   param=LEAKAGE_PARAM, default=LEAKAGE_DEFAULT))

    def action_open_order(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "sale.order", "res_id": self.order_id.id,
                "view_mode": "form", "views": [(False, "form")]}


class XeroDashboard(models.Model):
    """Counted when it is opened (``action_open``), so that the CRM app's opportunities count
    whenever it is installed; each user sees the rows counted for them, kept a day."""
    _name = "xero.dashboard"
    _description = "Xero receivables and pipeline"
    _order = "company_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", "Company currency", readonly=True)
    base_currency_id = fields.Many2one("res.currency", "Base currency", readonly=True,
                                       help="The Xero organisation's, that of the receivables.")
    receivables = fields.Monetary(readonly=True, currency_field="base_currency_id",
                                  help="Owed on the Xero invoices, less the credit the credit notes hold.")
    overdue = fields.Monetary(readonly=True, currency_field="base_currency_id")
    unbilled = fields.Monetary("Confirmed, not billed", readonly=True,
                               help="Untaxed amount of the confirmed orders with no Xero invoice after the days "
                                    "set (revenue leakage).")
    unbilled_count = fields.Integer("Orders not billed", readonly=True)
    quotations = fields.Monetary("Open quotations", readonly=True, help="Untaxed amount of the quotations not yet "
                                                                       "confirmed.")
    quotation_count = fields.Integer("Quotations", readonly=True)
    opportunities = fields.Monetary("Open opportunities", readonly=True,
                                    help="Expected revenue of the open opportunities (the CRM app).")
    opportunity_count = fields.Integer("Opportunities", readonly=True)

    @api.autovacuum
    def _gc_counted(self):
        self.sudo().search([("create_date", "<", fields.Datetime.now() - datetime.timedelta(days=1))]).unlink()

    @api.model
    def action_open(self):
        rows = self.create([self._figures(company) for company in self.env.companies])
        return {
            "type": "ir.actions.act_window", "name": self.env._("Xero dashboard"), "res_model": self._name,
            "view_mode": "list,pivot,graph", "views": [(False, "list"), (False, "pivot"), (False, "graph")],
            "domain": [("id", "in", rows.ids)], "target": "current",
            "context": {"xero_crm": "crm.lead" in self.env},
        }

    @api.model
    def _figures(self, company):
        domain = [("company_id", "=", company.id)]
        [(receivables, overdue)] = self.env["xero.receivable.report"]._read_group(
            domain, aggregates=["balance:sum", "overdue:sum"])
        [(unbilled, unbilled_count)] = self.env["xero.leakage.report"]._read_group(
            domain, aggregates=["amount_untaxed:sum", "__count"])
        # The company's whole pipeline, whatever orders the reader may open.
        self.env["sale.order"].flush_model(["company_id", "state", "amount_untaxed", "currency_rate"])
        self.env.cr.execute(_QUOTATIONS, (company.id,))
        quotation_count, quotations = self.env.cr.fetchone()
        self.env.cr.execute(_BASE_CURRENCY, (company.id,))
        [base_currency] = self.env.cr.fetchone()
        opportunities, opportunity_count = 0.0, 0
        if "crm.lead" in self.env:
            [(opportunities, opportunity_count)] = self.env["crm.lead"].sudo()._read_group(
                domain + [("type", "=", "opportunity"), ("stage_id.is_won", "=", False)],
                aggregates=["expected_revenue:sum", "__count"])
        return {"company_id": company.id, "currency_id": company.currency_id.id, "base_currency_id": base_currency,
                "receivables": receivables or 0.0, "overdue": overdue or 0.0,
                "unbilled": unbilled or 0.0, "unbilled_count": unbilled_count,
                "quotations": float(quotations), "quotation_count": quotation_count,
                "opportunities": opportunities or 0.0, "opportunity_count": opportunity_count}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    xero_leakage_days = fields.Integer(
        "Days before a confirmed order counts as not billed", config_parameter=LEAKAGE_PARAM,
        default=LEAKAGE_DEFAULT,
        help="Revenue leakage report: confirmed orders with no Xero invoice this many days after confirmation.")
