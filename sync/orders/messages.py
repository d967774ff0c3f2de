"""What we tell people about an order and its Xero invoice or quote: one sentence naming the
order, in the user's language, without Xero's codes."""

# Stands for the ContactID of a customer not in Xero in values that are never sent: the check
# says why instead (``DocumentSync.check``).
NOT_IN_XERO = "(not in Xero)"


def _status_label(env, status):
    labels = {"DRAFT": env._("a draft"), "SUBMITTED": env._("awaiting approval"),
              "AUTHORISED": env._("approved"), "PAID": env._("paid"), "VOIDED": env._("voided"),
              "DELETED": env._("deleted"), "SENT": env._("sent"), "ACCEPTED": env._("accepted"),
              "DECLINED": env._("declined"), "INVOICED": env._("invoiced")}
    return labels.get(status, status or "")


def document_label(env, document):
    return env._("invoice") if document == "invoice" else env._("quote")


def party_missing(env, name, link):
    if not link:  # another company's record: this organisation does not take it
        return env._("%(name)s cannot go to this company's Xero organisation.", name=name)
    return env._("%(name)s could not be sent to Xero first: %(reason)s", name=name, reason=link.error)


def not_editable(env, order, document, status):
    return env._("%(order)s: its Xero %(document)s is %(status)s, so Xero no longer takes changes to it. Void it "
                 "(or credit it) in Xero, then send the order again.", order=order,
                 document=document_label(env, document), status=_status_label(env, status))


def rounding_line(env):
    return env._("Rounding")


def wrong_state(env, order, state):
    if state == "cancel":
        return env._("%(order)s is cancelled: nothing goes to Xero.", order=order)
    return env._("%(order)s: confirm the quotation before sending it to Xero as an invoice.", order=order)


def no_connection(env, order):
    return env._("%(order)s: its company is not connected to Xero. Connect it in Settings → Xero.", order=order)


def sent(env, count, queued=None):
    """``queued``: "many" (more orders than one click sends at once), "waiting" (Xero's limit of
    calls is reached for now, or what they need is being sent by the scheduled push), or None."""
    if queued == "many":
        return env._("%(count)s orders will be sent to Xero in the background, within a few minutes.", count=count)
    if queued == "waiting":
        return env._("%(count)s order(s) will be sent to Xero in a few minutes: Xero cannot take more now, or their "
                     "customers and products are still on their way there.", count=count)
    return env._("%(count)s order(s) sent to Xero.", count=count)


def not_sent(env, order, reason):
    return env._("%(order)s was not sent to Xero: %(reason)s", order=order, reason=reason)


def approved(env, count, emailed):
    if emailed:
        return env._("%(count)s invoice(s) approved in Xero and e-mailed to the customer.", count=count)
    return env._("%(count)s invoice(s) approved in Xero.", count=count)


def nothing_to_approve(env):
    return env._("None of these orders has a Xero invoice waiting for approval.")


def not_approved_yet(env):
    return env._("Nothing was approved: these invoices are being sent to Xero right now. Try again in a moment.")


def email_refused(env, order, reason):
    return env._("%(order)s: approved in Xero, but Xero did not e-mail it: %(reason)s", order=order, reason=reason)


def may_not_approve(env):
    return env._("Only the Xero finance team approves or voids invoices in Xero. Ask them, or ask an administrator "
                 "to let salespeople approve (Settings → Xero).")


def may_not_send(env):
    return env._("Only Xero users may send orders to Xero.")


def voided(env, order):
    return env._("%(order)s: its invoice was voided in Xero.", order=order)


def deleted(env, order, document):
    return env._("%(order)s: its Xero %(document)s was deleted in Xero.", order=order,
                 document=document_label(env, document))


def cannot_void(env, order):
    return env._("%(order)s: its Xero invoice has a payment or a credit note allocated. Xero keeps it: remove the "
                 "payment or credit the invoice in Xero first.", order=order)


def paid(env, order, number, day):
    return env._("%(order)s is paid: Xero invoice %(number)s was settled on %(day)s.", order=order,
                 number=number or "", day=day)


def owed_again(env, order, number, amount):
    return env._("%(order)s is no longer paid: a payment of Xero invoice %(number)s was removed in Xero; "
                 "%(amount)s is owed again.", order=order, number=number or "", amount=amount)


def refused_on_order(env, reason):
    return env._("Not sent to Xero: %(reason)s", reason=reason)


def overdue_summary(env):
    return env._("Follow up overdue invoice")


def overdue_note(env, number, amount, due):
    return env._("Xero invoice %(number)s is past due since %(due)s: %(amount)s is still owed.",
                 number=number or "", amount=amount, due=due)


def totals_differ(env, xero_total, xero_tax, odoo_total, odoo_tax):
    return env._("Xero's total (%(xero)s, tax %(xero_tax)s) differs from the order's (%(odoo)s, tax %(odoo_tax)s). "
                 "Xero rounds tax on each line; Odoo can too (Settings → Invoicing → Rounding method: per line), or "
                 "turn on the rounding line in Settings → Xero.", xero=xero_total, xero_tax=xero_tax,
                 odoo=odoo_total, odoo_tax=odoo_tax)
