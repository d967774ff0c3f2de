"""Send to Xero, Approve in Xero, Void, and what cancelling or confirming an order does there.

Sending locks the orders first (a second click, or a second person, waits for the first and
then finds the document already there: never a second one), gives each order the link of the
document it becomes (a quote for a quotation in quote mode, else an invoice of a confirmed
order), and pushes those links at once through the engine, which sends the customer and the
products first. A selection larger than the engine's interactive limit, or one that meets the
quota, is left to the scheduled push, and the answer says so.
"""
from odoo.exceptions import AccessError, UserError

from ...xero.mappers.document import EDITABLE, FINAL
from ..engine import push
from . import messages, status, values as order_values

XERO_USER = "xero_connector.group_xero_user"
XERO_FINANCE = "xero_connector.group_xero_finance"
EMAIL_PARAM = "xero_connector.email_on_approve"
SALES_APPROVE_PARAM = "xero_connector.sales_may_approve"
SEND_ON_CONFIRM_PARAM = "xero_connector.send_on_confirm"
INTERACTIVE_LIMIT = 50


def _param(env, key):
    return env["ir.config_parameter"].sudo().get_param(key)


def lock(orders):
    """Hold these orders for this transaction: whoever sends one of them at the same moment (a
    double click, a colleague) waits for us, and then, its snapshot being older than our change,
    is started again by Odoo (a serialization failure) and finds the document already there."""
    orders.env.flush_all()
    orders.env.cr.execute("SELECT id FROM sale_order WHERE id IN %s FOR UPDATE", (tuple(orders.ids),))


def links_to_send(orders, connection):
    """The links ``orders`` (of ``connection``'s company) are sent by: (quote links, invoice
    links, orders that cannot go). A quotation goes as a quote in quote mode; a confirmed order
    as an invoice (and its quote, if it has one, becomes accepted). A document Xero voided or
    deleted is replaced by a new one."""
    env = orders.env
    quote_mode = order_values.options(env)["document"] == "quote"
    confirmed = orders.filtered(lambda order: order.state == "sale")
    quoted = orders.filtered(lambda order: order.state in ("draft", "sent")) if quote_mode else orders.browse()
    quoted |= confirmed.filtered(lambda order: order.sudo().xero_quote_link_ids.filtered(
        lambda link: link.connection_id == connection))
    found = []
    for model, group in (("xero.quote.link", quoted), ("xero.order.link", confirmed)):
        Link = env[model].sudo()
        Link._ensure_links(group, connection)
        links = Link._links_of(group, connection) if group else Link
        final = links.filtered(lambda link: link.xero_status in FINAL)
        if final:
            final.bind(False)
            final.write({"xero_status": False, "xero_number": False})
        found.append(links)
    return found[0], found[1], orders - confirmed - quoted


def send(orders, interactive=True):
    """Send ``orders`` to Xero now (or soon). Returns a notification action for the person who
    clicked."""
    env = orders.env
    if not env.user.has_group(XERO_USER):
        raise AccessError(messages.may_not_send(env))
    orders.check_access("write")
    lock(orders)
    problems, to_push = [], env["xero.order.link"].sudo()
    quotes = env["xero.quote.link"].sudo()
    for company, group in orders.sudo().grouped("company_id").items():
        connection = company.xero_connection_id
        if not connection or connection.state != "connected":
            problems += [messages.no_connection(env, order.display_name) for order in group]
            continue
        quote_links, invoice_links, refused = links_to_send(group, connection)
        problems += [messages.wrong_state(env, order.display_name) for order in refused]
        for links in (quote_links, invoice_links):
            # Sent again: compared with Xero's copy. A link the scheduled push holds right now
            # is not waited for (it may be waiting for these very orders): the push sends it.
            links._note_record_changes(links.order_id.ids, ["document"])
        quotes |= quote_links
        to_push |= invoice_links
    groups = [group for group in (quotes, to_push) if group]  # quotes first: accepted, then invoiced
    many = len(quotes.order_id | to_push.order_id) > INTERACTIVE_LIMIT
    if groups and (not interactive or many):
        queued = "many"
    else:
        for group in groups:
            push.push_links(group, interactive=True)
        queued = "waiting" if any(group.filtered(lambda link: link.state == "pending") for group in groups) else None
    if queued:
        to_push._trigger_push()
    for group in groups:
        for link in group.filtered(lambda link: link.state == "error"):
            problems.append(messages.not_sent(env, link.order_id.display_name, link.error))
    if to_push and order_values.options(env)["status"] == "AUTHORISED" and may_approve(env) and not queued:
        # The mapping says invoices arrive approved, and whoever sent them may approve: done now.
        ready = to_push.filtered(lambda link: link.state == "synced" and link.xero_status in ("DRAFT", "SUBMITTED"))
        problems += _approve_links(env, ready)[1]
    return _notification(env, groups, problems, queued)


def _notification(env, groups, problems, queued):
    orders = env["sale.order"].browse([link.order_id.id for group in groups for link in group])
    done = len(orders.filtered(lambda order: order.xero_sync_state == "sent"))
    if problems:
        title, kind = env._("Not sent to Xero"), "warning"
        message = "\n".join(problems)
        if done:
            message = messages.sent(env, done, False) + "\n" + message
    else:
        title, kind = env._("Xero"), "success"
        message = messages.sent(env, len(orders), queued)
    return {"type": "ir.actions.client", "tag": "display_notification", "params": {
        "title": title, "message": message, "type": kind, "sticky": bool(problems),
        "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}


def may_approve(env):
    return env.user.has_group(XERO_FINANCE) or (
        env.user.has_group(XERO_USER) and bool(_param(env, SALES_APPROVE_PARAM)))


def approve(orders):
    """Approve the orders' Xero invoices (draft or awaiting approval), then have Xero e-mail them
    to the customers if the setting says so, and keep their online invoice addresses."""
    env = orders.env
    if not may_approve(env):
        raise AccessError(messages.may_not_approve(env))
    orders.check_access("read")
    lock(orders)
    links = orders.sudo().xero_invoice_link_ids.filtered(
        lambda link: link.xero_invoice_id and link.xero_status in ("DRAFT", "SUBMITTED")
        and link.connection_id == link.order_id.company_id.xero_connection_id)
    if not links:
        raise UserError(messages.nothing_to_approve(env))
    # Content first: what changed in Odoo since the draft was sent goes before it is approved.
    push.push_links(links.filtered(lambda link: link.state != "synced"), interactive=True)
    done, problems = _approve_links(env, links)
    emailed = len(done.filtered("xero_emailed"))
    message = messages.approved(env, len(done), emailed) if done else ""
    if problems:
        message = "\n".join(([message] if message else []) + problems)
    return {"type": "ir.actions.client", "tag": "display_notification", "params": {
        "title": env._("Approve in Xero"), "message": message, "type": "warning" if problems else "success",
        "sticky": bool(problems), "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}


def _approve_links(env, links):
    """Approve these invoices in Xero (those in sync), then e-mail them if the setting says so.
    Returns (the links approved, readable problems)."""
    outcome = status.set_status(links.filtered(lambda link: link.state == "synced"), "AUTHORISED")
    done = env["xero.order.link"].sudo().browse([link.id for link, reason in outcome.items() if reason is None])
    problems = [messages.not_sent(env, link.order_id.display_name, reason)
                for link, reason in outcome.items() if reason] + [
        messages.not_sent(env, link.order_id.display_name, link.error)
        for link in links.filtered(lambda link: link.state == "error")]
    if done:
        status.email(done, bool(_param(env, EMAIL_PARAM)))
    return done, problems


def retire(orders, cancelling=False):
    """Take the orders' documents back in Xero: delete a draft or submitted invoice (and the
    quote), void an approved one nothing is allocated to. A paid one stops it: Xero keeps it."""
    env = orders.env
    invoices = orders.sudo().xero_invoice_link_ids.filtered(
        lambda link: link.xero_invoice_id and link.xero_status not in FINAL)
    for link in invoices:
        if link.xero_status == "PAID" or link.xero_amount_paid or link.xero_amount_credited:
            raise UserError(messages.cannot_void(env, link.order_id.display_name))
    plan = [(invoices.filtered(lambda link: link.xero_status in EDITABLE), "DELETED"),
            (invoices.filtered(lambda link: link.xero_status == "AUTHORISED"), "VOIDED")]
    if cancelling:
        plan.append((orders.sudo().xero_quote_link_ids.filtered(
            lambda link: link.xero_quote_id and link.xero_status not in FINAL), "DELETED"))
    for links, target in plan:
        if not links:
            continue
        outcome = status.set_status(links, target)
        failed = [(link, reason) for link, reason in outcome.items() if reason]
        if failed:
            link, reason = failed[0]
            raise UserError(messages.not_sent(env, link.order_id.display_name, reason))
        for link in links:
            body = messages.voided(env, link.order_id.display_name) if target == "VOIDED" else \
                messages.deleted(env, link.order_id.display_name, "invoice" if link._name == "xero.order.link"
                                 else "quote")
            link.order_id.message_post(body=body)
