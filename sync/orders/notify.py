"""People are told what Xero's facts mean for an order, once: paid (the chatter, and a
notification for the salesperson), owed again after a payment was removed in Xero, refused by
Xero (the reason on the order), and past due (one follow-up activity for the salesperson).

``changed`` runs when an invoice link's facts change (``xero.order.link.write``), whoever wrote
them: the pull, a push's answer, an approval. ``plan_overdue`` runs after each pull.
"""
from datetime import timedelta

from odoo import fields
from odoo.tools.misc import format_date, formatLang

from ...xero.mappers.document import is_settled
from . import messages

WATCHED = {"xero_status", "xero_amount_due", "state", "error"}
OVERDUE_PARAM = "xero_connector.overdue_days"


def snapshot(link):
    return (link.xero_status, link.xero_amount_due, link.state, link.error)


def _amount(link, value):
    return formatLang(link.env, value, currency_obj=link.currency_id)


def _tell(order, body, partners=None):
    """An internal note on the order (never e-mailed to the customer, who follows the order),
    notifying ``partners``; queued rather than sent during a pull that may settle a thousand."""
    order.sudo().with_context(mail_notify_force_send=False).message_post(
        body=body, partner_ids=partners.ids if partners else [], subtype_xmlid="mail.mt_note")


def changed(links, before):
    for link in links:
        status, due, state, error = before[link.id]
        order = link.order_id
        if not order:
            continue
        was_settled, settled = is_settled(status, due), is_settled(link.xero_status, link.xero_amount_due)
        env = link.env
        salesperson = order.user_id.partner_id
        if settled and not was_settled and link.xero_invoice_id:
            day = link.xero_fully_paid_date or fields.Date.context_today(link)
            _tell(order, messages.paid(env, order.name, link.xero_number, format_date(env, day)), salesperson)
        elif was_settled and not settled and link.xero_status == "AUTHORISED":
            _tell(order, messages.owed_again(env, order.name, link.xero_number, _amount(link, link.xero_amount_due)),
                  salesperson)
            link.sudo().xero_overdue_activity = False  # past due again: followed up again
        if link.state == "error" and link.error and (state != "error" or error != link.error) \
                and not link.next_retry:
            _tell(order, messages.refused_on_order(env, link.error))


def plan_overdue(connection):
    """One "follow up overdue invoice" activity for the salesperson of each order whose Xero
    invoice is owed N days past its due date (``xero_connector.overdue_days``, default 1), not
    one per run: the link remembers it was planned."""
    env = connection.env
    days = int(env["ir.config_parameter"].sudo().get_param(OVERDUE_PARAM) or 1)
    today = fields.Date.context_today(connection)
    links = env["xero.order.link"].sudo().search([
        ("connection_id", "=", connection.id), ("xero_status", "=", "AUTHORISED"), ("xero_amount_due", ">", 0),
        ("xero_due_date", "<=", today - timedelta(days=days)), ("xero_overdue_activity", "=", False)])
    todo = env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
    for link in links:
        order = link.order_id
        # The salesperson; an order without one goes to its team's leader, else nobody in particular.
        user = order.user_id or order.team_id.user_id
        order.sudo().activity_schedule(
            activity_type_id=todo.id if todo else False, summary=messages.overdue_summary(env),
            note=messages.overdue_note(env, link.xero_number, _amount(link, link.xero_amount_due),
                                       format_date(env, link.xero_due_date)),
            user_id=user.id or False)
    links.write({"xero_overdue_activity": True})
    return len(links)
