"""Send to Xero, Approve in Xero, Void, and what confirming, sending or cancelling an order
does there.

Sending locks the orders first (a second click, or a colleague, waits for the first and then
finds the document already there: never a second one), gives each order the link of the
document it becomes (a quote for a quotation in quote mode, else an invoice of a confirmed
order), and pushes those links at once through the engine, which sends the customer and the
products first. A selection larger than the engine's interactive limit, or one that must wait
(the quota, a customer still on its way), is left to the scheduled push, and the answer says so.
"""
from odoo.exceptions import AccessError, UserError

from ...xero.errors import XeroError
from ...xero.mappers.document import APPROVABLE, INVOICE_EDITABLE, QUOTES
from ..engine import push
from . import messages, status, values as order_values

XERO_USER = "xero_connector.group_xero_user"
XERO_FINANCE = "xero_connector.group_xero_finance"
EMAIL_PARAM = "xero_connector.email_on_approve"
SALES_APPROVE_PARAM = "xero_connector.sales_may_approve"
SEND_ON_CONFIRM_PARAM = "xero_connector.send_on_confirm"
QUOTE_DONE = ("INVOICED", "DECLINED")  # a quote Xero keeps as it is, whatever the order does next


def _param(env, key):
    return env["ir.config_parameter"].sudo().get_param(key)


def lock(orders):
    """Hold these orders for this transaction: whoever sends, approves or voids one of them at
    the same moment (a double click, a colleague) waits for us; Odoo starts a request again when
    our commit changed what it read, and it then finds what we did."""
    if not orders:
        return
    orders.env.flush_all()
    orders.env.cr.execute("SELECT id FROM sale_order WHERE id IN %s ORDER BY id FOR UPDATE", (tuple(orders.ids),))


def links_to_send(orders, connection):
    """The links ``orders`` (of ``connection``'s company) are sent by: (quote links, invoice
    links, orders that cannot go). A quotation goes as a quote in quote mode; a confirmed order
    as an invoice (and its quote, if it has one, becomes accepted, then invoiced). A document
    Xero voided or deleted is replaced by a new one."""
    env = orders.env
    quote_mode = order_values.options(env)["document"] == "quote"
    confirmed = orders.filtered(lambda order: order.state == "sale")
    quoted = orders.filtered(lambda order: order.state in ("draft", "sent")) if quote_mode else orders.browse()
    quoted |= confirmed.filtered(lambda order: order.sudo().xero_quote_link_ids.filtered(
        lambda link: link.connection_id == connection and link.xero_status not in QUOTE_DONE))
    found = []
    for model, group in (("xero.quote.link", quoted), ("xero.order.link", confirmed)):
        Link = env[model].sudo()
        Link._ensure_links(group, connection)
        links = Link._links_of(group, connection) if group else Link
        links.filtered(lambda link: link.xero_status in link._replaced_statuses())._forget_document()
        found.append(links)
    return found[0], found[1], orders - confirmed - quoted


def note_sent(links):
    """The orders of ``links`` are sent again: compared with Xero's copy by the next push. A link
    the scheduled push holds right now is not waited for (it may be waiting for these very
    orders): the push applies the change after its batch."""
    links._note_record_changes(links.order_id.ids, ["document"])


def send(orders, interactive=True):
    """Send ``orders`` to Xero now (or soon). Returns a notification for the person who clicked."""
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
        problems += [messages.wrong_state(env, order.display_name, order.state) for order in refused]
        note_sent(quote_links)
        note_sent(invoice_links)
        quotes |= quote_links
        to_push |= invoice_links
    groups = [group for group in (quotes, to_push) if group]  # quotes first: accepted, then invoiced
    many = len(quotes.order_id | to_push.order_id) > push.INTERACTIVE_LIMIT
    if groups and (not interactive or many):
        queued = "many"
    else:
        for group in groups:
            push.push_links(group, interactive=True)
        queued = "waiting" if any(group.filtered(lambda link: link.state == "pending") for group in groups) else None
    if queued:
        to_push._trigger_push()
    for group in groups:
        # Refused (waits for a fix), or Xero out of reach (tried again by itself): said either way.
        for link in group.filtered(lambda link: link.state == "error"):
            problems.append(messages.not_sent(env, link.order_id.display_name, link.error))
    if to_push and order_values.options(env)["status"] == "AUTHORISED" and may_approve(env) and not queued:
        # The mapping says invoices arrive approved, and whoever sent them may approve: done now.
        problems += _approve_links(env, to_push.filtered(lambda link: link.xero_status in APPROVABLE))[1]
    return _notification(env, groups, problems, queued)


def _notification(env, groups, problems, queued):
    orders = env["sale.order"].browse([link.order_id.id for group in groups for link in group])
    done = len(orders.filtered(lambda order: order.xero_sync_state == "sent"))
    if problems:
        title, kind = env._("Not sent to Xero"), "warning"
        message = "\n".join(problems)
        if done:
            message = messages.sent(env, done) + "\n" + message
    else:
        title, kind = env._("Xero"), "success"
        message = messages.sent(env, len(orders), queued)
    return _notify(title, message, kind, sticky=bool(problems))


def _notify(title, message, kind, sticky=False):
    return {"type": "ir.actions.client", "tag": "display_notification", "params": {
        "title": title, "message": message, "type": kind, "sticky": sticky,
        "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}


def may_approve(env):
    """Approving (and voiding) is the Xero finance team's, or salespeople's if the setting says so."""
    return env.user.has_group(XERO_FINANCE) or (
        env.user.has_group(XERO_USER) and bool(_param(env, SALES_APPROVE_PARAM)))


def _checked(orders):
    """The orders as the approver may act on them: finance (or salespeople allowed), their own
    companies' orders only, each held for this transaction."""
    env = orders.env
    if not may_approve(env):
        raise AccessError(messages.may_not_approve(env))
    orders.check_access("read")
    lock(orders)
    return orders.sudo()


def _current(links):
    """Those of ``links`` with their order's company's connection."""
    return links.filtered(lambda link: link.connection_id == link.order_id.company_id.xero_connection_id)


def approve(orders):
    """Approve the orders' Xero invoices (draft or awaiting approval), with what changed in Odoo
    since they were sent; then have Xero e-mail them to the customers if the setting says so, and
    keep their online invoice addresses."""
    env = orders.env
    links = _current(_checked(orders).xero_invoice_link_ids).filtered(
        lambda link: link.xero_invoice_id and link.xero_status in APPROVABLE)
    if not links:
        raise UserError(messages.nothing_to_approve(env))
    # The approved invoice can no longer change: the order as it is now goes first.
    note_sent(links)
    push.push_links(links, interactive=True)
    done, problems = _approve_links(env, links)
    message = messages.approved(env, len(done), len(done.filtered("xero_emailed"))) if done else ""
    if not done and not problems:
        problems = [messages.not_approved_yet(env)]
    if problems:
        message = "\n".join(([message] if message else []) + problems)
    return _notify(env._("Approve in Xero"), message, "warning" if problems else "success", sticky=bool(problems))


def _approve_links(env, links):
    """Approve these invoices in Xero (those in sync), then e-mail them if the setting says so.
    Returns (the links approved, readable problems). An e-mail Xero refuses leaves the approval."""
    problems = [messages.not_sent(env, link.order_id.display_name, link.error)
                for link in links.filtered(lambda link: link.state == "error")]
    outcome = status.set_status(links.filtered(lambda link: link.state == "synced"), "AUTHORISED")
    done = env["xero.order.link"].sudo().browse([link.id for link, reason in outcome.items() if reason is None])
    problems += [messages.not_sent(env, link.order_id.display_name, reason)
                 for link, reason in outcome.items() if reason]
    if done:
        problems += status.email(done, bool(_param(env, EMAIL_PARAM)))
    return done, problems


def void(orders):
    """Void in Xero: the approved, unpaid invoices of these orders are voided (drafts deleted);
    the orders stay as they are, and can be sent again as new invoices."""
    retire(_checked(orders))


def retire(orders, cancelling=False):
    """Take the orders' documents back in Xero: delete a draft or submitted invoice (and, when
    the order is cancelled, its quote), void an approved one nothing is allocated to. One that
    is paid or credited stops it all before any call: Xero keeps it."""
    env = orders.env
    invoices = _current(orders.sudo().xero_invoice_link_ids).filtered(
        lambda link: link.xero_invoice_id and link.xero_status not in link._replaced_statuses())
    for link in invoices:
        if link.xero_status == "PAID" or link.xero_amount_paid or link.xero_amount_credited:
            raise UserError(messages.cannot_void(env, link.order_id.display_name))
    plan = [(invoices.filtered(lambda link: link.xero_status in INVOICE_EDITABLE), "DELETED"),
            (invoices.filtered(lambda link: link.xero_status == "AUTHORISED"), "VOIDED")]
    if cancelling:
        plan.append((_current(orders.sudo().xero_quote_link_ids).filtered(
            lambda link: link.xero_quote_id and link.xero_status in QUOTES.editable), "DELETED"))
    for links, target in plan:
        if not links:
            continue
        try:
            outcome = status.set_status(links, target)
        except (XeroError, UserError) as exc:  # a connection no longer connected says so too
            raise UserError(messages.not_sent(env, links[0].order_id.display_name, str(exc))) from exc
        failed = [(link, reason) for link, reason in outcome.items() if reason]
        if failed:
            link, reason = failed[0]
            raise UserError(messages.not_sent(env, link.order_id.display_name, reason))
        for link in links:
            body = messages.voided(env, link.order_id.display_name) if target == "VOIDED" else \
                messages.deleted(env, link.order_id.display_name, "invoice" if link._name == "xero.order.link"
                                 else "quote")
            link.order_id.message_post(body=body)


def confirmed(orders):
    """Orders just confirmed: an order whose quote is in Xero, or every order when the mapping
    says so (the "deal won" trigger), goes as an invoice with the next scheduled push."""
    env = orders.env
    auto = bool(_param(env, SEND_ON_CONFIRM_PARAM))
    for company, group in orders.grouped("company_id").items():
        connection = company.sudo().xero_connection_id
        if not connection:
            continue
        group.partner_id.commercial_partner_id._xero_ensure_links(connection)
        going = group if auto else group.filtered(lambda order: order.sudo().xero_quote_link_ids)
        if going and connection.state == "connected":
            for links in links_to_send(going.sudo(), connection)[:2]:
                note_sent(links)
            env["xero.sync.state"]._trigger("push")


def quotation_sent(orders):
    """The quotations were sent to the customer: their Xero quotes say so too."""
    links = orders.sudo().xero_quote_link_ids.filtered(lambda link: link.xero_quote_id)
    if links:
        note_sent(links)


def sync_state(link):
    """What the order shows of its document's sync: not in Xero, waiting, in Xero, not sent."""
    if not link:
        return "not_sent"
    if link.state == "error" and not link.next_retry:
        return "error"
    if link.state == "synced" and link._xero_id():
        return "sent"
    return "pending"
