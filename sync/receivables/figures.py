"""What a customer owes and how they pay, from the receivables mirror, in the organisation's base
currency: one query for any number of customers (the partner form reads a customer with
thousands of invoices in a single statement).

Outstanding: what the approved invoices still owe, less the credit the credit notes still hold.
Overdue: what is owed past the due date, and by how many days the oldest is. Ageing: the
outstanding invoices by days past due. Average days to pay: from the invoice date to its full
payment. Lifetime paid: what the invoices received.
"""
from odoo import fields

BUCKETS = ("current", "1_30", "31_60", "61_90", "90_plus")
EMPTY = dict({"outstanding": 0.0, "overdue": 0.0, "overdue_days": 0, "last_payment_date": False,
              "avg_days_to_pay": 0.0, "lifetime_paid": 0.0, "invoice_count": 0},
             **{"ageing_" + bucket: 0.0 for bucket in BUCKETS})


def of_partners(env, partner_ids, company, today=None):
    """{commercial partner id: figures} of ``partner_ids`` in ``company``'s organisation (and
    ``currency_id``, the currency they are in)."""
    if not partner_ids:
        return {}
    today = today or fields.Date.context_today(env.user)
    env["xero.invoice"].flush_model()
    env.cr.execute("""
        SELECT partner_id,
               sum(balance),
               sum(balance) FILTER (WHERE kind = 'invoice' AND due_date < %(today)s),
               max(%(today)s - due_date) FILTER (WHERE kind = 'invoice' AND due_date < %(today)s AND balance > 0),
               max(last_payment_date) FILTER (WHERE kind = 'invoice'),
               avg(days_to_pay) FILTER (WHERE kind = 'invoice' AND days_to_pay IS NOT NULL),
               sum(paid_base),
               count(*) FILTER (WHERE status IN ('AUTHORISED', 'PAID')),
               sum(balance) FILTER (WHERE kind = 'invoice' AND (due_date IS NULL OR due_date >= %(today)s)),
               sum(balance) FILTER (WHERE kind = 'invoice' AND %(today)s - due_date BETWEEN 1 AND 30),
               sum(balance) FILTER (WHERE kind = 'invoice' AND %(today)s - due_date BETWEEN 31 AND 60),
               sum(balance) FILTER (WHERE kind = 'invoice' AND %(today)s - due_date BETWEEN 61 AND 90),
               sum(balance) FILTER (WHERE kind = 'invoice' AND %(today)s - due_date > 90),
               min(base_currency_id)
          FROM xero_invoice
         WHERE partner_id IN %(partners)s AND connection_id = %(connection)s
         GROUP BY partner_id
    """, {"today": today, "partners": tuple(partner_ids),
          # The company's organisation now (an archived connection's documents are another's).
          "connection": company.sudo().xero_connection_id.id or 0})
    out = {}
    for row in env.cr.fetchall():
        figures = dict(zip(("outstanding", "overdue", "overdue_days", "last_payment_date", "avg_days_to_pay",
                            "lifetime_paid", "invoice_count") + tuple("ageing_" + b for b in BUCKETS), row[1:-1]))
        out[row[0]] = {key: value if value is not None else EMPTY[key] for key, value in figures.items()}
        out[row[0]]["avg_days_to_pay"] = round(float(out[row[0]]["avg_days_to_pay"]), 1)
        out[row[0]]["currency_id"] = row[-1]  # the organisation's base currency, kept on each document
    return out


def overdue_partners(env, partner_ids, company, today=None):
    """Those of ``partner_ids`` with an invoice owing past its due date (the salespeople's badge)."""
    return {pid for pid, figures in of_partners(env, partner_ids, company, today).items() if figures["overdue"] > 0}


def base_currency(company):
    """The currency the figures are in: the company's Xero organisation's base currency."""
    connection = company.sudo().xero_connection_id
    return connection._xero_base_currency() if connection else company.currency_id
