"""What the health check tells people: one sentence per finding or fact, in their language,
naming records as people know them (no ids, no technical names)."""
from odoo.tools.misc import format_date, format_datetime, formatLang

MAX_NAMES = 8  # names listed in one sentence; the others are counted


def names(env, items):
    """'A, B and C', or 'A, B... and 4 more' past MAX_NAMES."""
    items = [str(item) for item in items]
    if len(items) > MAX_NAMES:
        shown = ", ".join(items[:MAX_NAMES])
        return env._("%(names)s and %(count)s more", names=shown, count=len(items) - MAX_NAMES)
    if len(items) < 2:
        return "".join(items)
    return env._("%(names)s and %(last)s", names=", ".join(items[:-1]), last=items[-1])


def amount(env, value, currency):
    return formatLang(env, value or 0.0, currency_obj=currency) if currency else formatLang(env, value or 0.0)


def count(env, value):
    """A whole number as the reader writes it (1,000,000)."""
    return formatLang(env, value, digits=0)


def day(env, value):
    return format_date(env, value)


def moment(env, value):
    return format_datetime(env, value, dt_format="short")


def reasons(env, codes):
    labels = {"name": env._("a similar name"), "email": env._("the same e-mail address"),
              "tax_number": env._("the same tax number")}
    return names(env, [labels[code] for code in codes])


# -- the checks' labels (what "could not be checked" names) --------------------------------------

def check_label(env, check):
    return {
        "duplicates": env._("possible duplicate contacts in Xero"),
        "orders": env._("the spot check of invoices"),
        "partners": env._("the spot check of customers"),
    }[check]


# -- 1. duplicates in Xero ------------------------------------------------------------------------

def duplicate_contacts(env, contact_names, why):
    return env._("These contacts in Xero may be one customer (they share %(why)s): %(names)s. If they are, "
                 "merge them in Xero.", why=why, names=names(env, contact_names))


def duplicates_fact(env, groups, read):
    if not groups:
        return env._("Possible duplicate contacts in Xero: none among %(count)s active contacts.", count=read)
    if groups == 1:
        return env._("Possible duplicate contacts in Xero: one group among %(count)s active contacts.", count=read)
    return env._("Possible duplicate contacts in Xero: %(groups)s groups among %(count)s active contacts.",
                 groups=groups, count=read)


def more_duplicates(env, count):
    return env._("%(count)s more groups of possible duplicates are not listed: merge the ones above first, "
                 "then check again.", count=count)


# -- 2. customers sharing one Xero contact --------------------------------------------------------

def shared_contact(env, partner_names):
    return env._("%(names)s are linked to the same Xero contact: what is sent for one overwrites the other's in "
                 "Xero. Merge them in Odoo if they are one customer, or link one of them to another contact.",
                 names=names(env, partner_names))


def shared_fact(env, groups):
    if not groups:
        return env._("Customers linked to the same Xero contact: none.")
    return env._("Customers linked to the same Xero contact: %(count)s contacts.", count=groups)


# -- 3. spot checks -------------------------------------------------------------------------------

def invoice_differs(env, order_name, number, differences):
    parts = "; ".join(env._("%(what)s %(xero)s in Xero, %(odoo)s in Odoo", what=what, xero=xero, odoo=odoo)
                      for what, xero, odoo in differences)
    if number:
        return env._("Invoice %(number)s of order %(order)s is not as Odoo knows it: %(parts)s.",
                     number=number, order=order_name, parts=parts)
    return env._("The invoice of order %(order)s is not as Odoo knows it: %(parts)s.", order=order_name, parts=parts)


def invoice_missing(env, order_name):
    return env._("The invoice of order %(order)s was not found in Xero.", order=order_name)


def what_customer(env):
    return env._("customer")


def what_total(env):
    return env._("total")


def what_order_total(env):
    return env._("the order's total")


def what_tax(env):
    return env._("tax")


def what_status(env):
    return env._("status")


def contact_differs(env, partner_name, groups):
    labels = {"identity": env._("name, e-mail or contact people"), "addresses": env._("addresses"),
              "phones": env._("phone numbers"), "terms": env._("tax number, currency or payment terms"),
              "status": env._("archived or not")}
    return env._("Customer %(name)s and its Xero contact differ in their %(groups)s, and the sync did not "
                 "settle it.", name=partner_name, groups=names(env, [labels.get(g, g) for g in groups]))


def contact_missing(env, partner_name):
    return env._("The Xero contact of customer %(name)s was not found in Xero.", name=partner_name)


def contact_merged(env, partner_name):
    return env._("The Xero contact of customer %(name)s was merged into another contact in Xero.",
                 name=partner_name)


def spot_fact(env, invoices, customers, drifts):
    if not invoices and not customers:
        return env._("Spot check against Xero: nothing sent to Xero yet to compare.")
    return env._("Spot check against Xero: invoices compared: %(invoices)s; customers compared: %(customers)s; "
                 "differing from Xero: %(drifts)s.", invoices=invoices, customers=customers, drifts=drifts or
                 env._("none"))


# -- 4. records in error --------------------------------------------------------------------------

def records_in_error(env, label, count):
    if count == 1:
        return env._("%(object)s: one record could not be synced with Xero. Open it to see why, fix it, then "
                     "Resync.", object=label)
    return env._("%(object)s: %(count)s records could not be synced with Xero. Open them to see why, fix them, "
                 "then Resync.", object=label, count=count)


def errors_fact(env, total):
    if not total:
        return env._("Records in error: none.")
    return env._("Records in error: %(count)s.", count=total)


# -- 5. the quota ---------------------------------------------------------------------------------

def quota_fact(env, used, day_limit, reserve):
    if not reserve:
        return env._("Xero calls in the last 24 hours: %(used)s of %(day)s.", used=count(env, used),
                     day=count(env, day_limit))
    return env._("Xero calls in the last 24 hours: %(used)s of %(day)s (the last %(reserve)s are kept for people's "
                 "clicks).", used=count(env, used), day=count(env, day_limit), reserve=count(env, reserve))


def quota_high(env, used, budget):
    return env._("The sync used %(used)s of the %(budget)s Xero calls it may make in a day: it stops when they are "
                 "spent, until the next day. Sync less often, or fewer records.", used=count(env, used),
                 budget=count(env, budget))


# -- 6. the connection and its webhook ------------------------------------------------------------

def not_connected(env, state, error):
    if error:
        return env._("The connection to Xero does not work (%(state)s): %(error)s Reconnect it.",
                     state=state, error=error)
    return env._("The connection to Xero does not work (%(state)s). Reconnect it.", state=state)


def unreachable(env, since):
    return env._("Xero could not be reached since %(since)s; the sync tries again by itself.", since=since)


def grant_old(env, renewed):
    return env._("Xero's authorisation was last renewed on %(day)s: unused for 60 days, it lapses and the "
                 "connection must be made again.", day=renewed)


def connection_fact(env, state, renewed):
    if renewed:
        return env._("Connection: %(state)s, authorisation last renewed %(when)s.", state=state, when=renewed)
    return env._("Connection: %(state)s.", state=state)


def webhook_off(env):
    return env._("Webhooks: off. Changes made in Xero arrive with the scheduled reads.")


def webhook_fact(env, last):
    return env._("Webhooks: on, last delivery %(when)s.", when=last)


def webhook_never(env):
    return env._("none yet")


def webhook_silent(env):
    return env._("Xero has not delivered any change through the webhook yet: check that the webhook's delivery "
                 "address in Xero's developer portal is the one shown in Settings → Xero.")


def webhook_quiet(env, last):
    return env._("Xero's last webhook delivery was on %(when)s: if changes were made in Xero since, check the "
                 "webhook in Xero's developer portal.", when=last)


# -- what could not be checked --------------------------------------------------------------------

def not_checked(env, check, reason):
    return env._("Not checked: %(check)s (%(reason)s).", check=check_label(env, check),
                 reason=str(reason).strip().rstrip("."))


def not_connected_reason(env):
    return env._("the connection to Xero does not work")


def skipped_reason(env, error):
    return env._("stopped after an earlier check: %(error)s", error=str(error).strip().rstrip("."))


# -- the report -----------------------------------------------------------------------------------

def headline(env, warnings, unchecked):
    if warnings:
        return env._("%(count)s things need your attention.", count=warnings) if warnings > 1 \
            else env._("One thing needs your attention.")
    if unchecked:
        return env._("Nothing needs your attention in what could be checked, but some checks could not be done.")
    return env._("The organisation is healthy: nothing needs your attention.")


def report_name(env, connection_name, when):
    return env._("Health check of %(connection)s, %(day)s", connection=connection_name, day=when)
