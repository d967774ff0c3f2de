"""Credit control: confirming an order for a customer past due in Xero beyond the limits warns
(``warn``, the default) or is stopped until someone in Xero finance approves it (``block``);
``off`` does neither. The limits: an overdue amount (base currency) and a number of days past
due, whichever is reached first (0: not used). Salespeople are told no amount."""
from odoo.exceptions import UserError

from ..orders.values import customer
from . import figures

APPROVING = "xero_credit_approving"  # context key: the one way the approval is written
MODE_PARAM = "xero_connector.credit_control"
AMOUNT_PARAM = "xero_connector.credit_limit_overdue"
DAYS_PARAM = "xero_connector.credit_limit_days"
MODES = ("off", "warn", "block")


def settings(env):
    get = env["ir.config_parameter"].sudo().get_param
    mode = get(MODE_PARAM) or "warn"
    return (mode if mode in MODES else "warn", float(get(AMOUNT_PARAM) or 0.0), int(get(DAYS_PARAM) or 0))


def held(orders):
    """Those of ``orders`` whose customer (who Xero bills: the invoice address's company) is past
    due beyond the limits, whatever the mode. A limit of 0 is not used; with neither, any
    overdue amount counts."""
    env = orders.env
    _mode, amount, days = settings(env)
    held_orders = orders.browse()
    for company, group in orders.grouped("company_id").items():
        found = figures.of_partners(env, group.mapped(customer).ids, company)
        for order in group:
            owed = found.get(customer(order).id)
            if owed and owed["overdue"] > 0 and ((amount and owed["overdue"] > amount)
                                                 or (days and owed["overdue_days"] > days)
                                                 or (not amount and not days)):
                held_orders |= order
    return held_orders


def banner(env, mode):
    """What the quotation says of a customer beyond the limits, for the salesperson."""
    if mode == "block":
        return env._("It is beyond the credit limit: the Xero finance team must approve credit before the order is "
                     "confirmed.")
    return env._("It is beyond the credit limit: confirming is allowed, and noted on the order.")


def before_confirm(orders):
    """Warn in the chatter, or stop the confirmation of orders not approved by finance."""
    env = orders.env
    mode = settings(env)[0]
    if mode == "off":
        return
    for order in held(orders):
        if order.xero_credit_approved_by:
            continue
        name = customer(order).display_name
        if mode == "block" and env.user._is_internal():
            # (A customer accepting or paying online is not stopped: the order is noted for finance.)
            raise UserError(env._("%(order)s: %(customer)s is past due in Xero beyond the credit limit. Someone in "
                                  "Xero finance must approve the order (Approve credit) before it is confirmed.",
                                  order=order.display_name, customer=name))
        order.message_post(body=env._("Confirmed although %(customer)s is past due in Xero beyond the credit limit.",
                                      customer=name), subtype_xmlid="mail.mt_note")


def approve(orders):
    """Finance lets these orders be confirmed despite the customer's overdue invoices."""
    env = orders.env
    if not env.user.has_group("xero_connector.group_xero_finance"):
        raise UserError(env._("Only the Xero finance team approves credit."))
    for order in orders:
        order.sudo().with_context(**{APPROVING: True}).xero_credit_approved_by = env.user
        order.message_post(body=env._("Credit approved by %(user)s despite the customer's overdue invoices in Xero.",
                                      user=env.user.name), subtype_xmlid="mail.mt_note")


def guard(orders, vals):
    """``sale.order`` writes: the approval is written by ``approve`` only, and a change of
    customer or invoice address drops it (it was given for that customer)."""
    if "xero_credit_approved_by" in vals and not orders.env.context.get(APPROVING):
        raise UserError(orders.env._("Credit is approved with the Approve credit button, by the Xero finance team."))
    if {"partner_id", "partner_invoice_id"} & set(vals) and not orders.env.context.get(APPROVING):
        return {"xero_credit_approved_by": False}
    return {}
