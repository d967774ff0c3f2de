"""People are told what Xero's facts mean for an order, once: paid (the chatter, and a
notification for the salesperson), owed again after a payment was removed in Xero, refused by
Xero (the reason on the order), and past due (one follow-up activity for the salesperson).

``changed`` runs when an invoice link's facts change (``xero.order.link.write``), whoever wrote
them: the pull, a push's answer, an approval. ``plan_overdue`` runs after each pull.
"""
from datetime import timedelta

from odoo import fields
from odoo.tools.misc import formatLang

from ...xero.mappers.document import is_settled
from . import messages

WATCHED = {"xero_status", "xero_amount_due", "state", "error"}
OVERDUE_PARAM = "xero_connector.overdue_days"


def snapshot(link):
    return (link.xero_status, link.xero_amount_due, link.state, link.error)


def _amount(link, value):
    return formatLang(link.env, value, currency_obj=link.currency_id)


def changed(links, before):
    for link in links:
        status, due, state, error = before[link.id]
        order = link.order_id
        if not order:
            continue
        was_settled, settled = is_settled(status, due), is_settled(link.xero_status, link.xero_amount_due)
        env = link.env
        if settled and not was_settled and link.xero_invoice_id:
            day = link.xero_fully_paid_date or fields.Date.context_today(link)
            body = messages.paid(env, order.name, link.xero_number, fields.Date.to_string(day))
            partners = order.user_id.partner_id.ids
            # A message on the order, and a notification in the salesperson's inbox.
            # Queued rather than sent during the pull: a run may settle a thousand orders.
            order.sudo().with_context(mail_notify_force_send=False).message_post(
                body=body, partner_ids=partners, subtype_xmlid="mail.mt_comment")
        elif was_settled and not settled and link.xero_status == "AUTHORISED":
            body = messages.owed_again(env, order.name, link.xero_number, _amount(link, link.xero_amount_due))
            order.sudo().with_context(mail_notify_force_send=False).message_post(
                body=body, partner_ids=order.user_id.partner_id.ids, subtype_xmlid="mail.mt_comment")
            link.sudo().xero_overdue_activity = False  # past due again: followed up again
        if link.state == "error" and link.error and (state != "error" or error != link.error) \
                and not link.next_retry:
            order.sudo().message_post(body=messages.refused_on_order(env, link.error))


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
        order.sudo().activity_schedule(
            activity_type_id=todo.id if todo else False, summary=messages.overdue_summary(env),
            note=messages.overdue_note(env, link.xero_number, _amount(link, link.xero_amount_due),
                                       fields.Date.to_string(link.xero_due_date)),
            user_id=(order.user_id or env.user).id)
    links.write({"xero_overdue_activity": True})
    return len(links)
