"""What the mapping and the preflight tell people: one sentence, in the user's language, naming
the record and the field where there is one."""


def _pct(value):
    return ("%.4f" % (value or 0)).rstrip("0").rstrip(".") + "%"


# -- a mapping row --------------------------------------------------------------------------
def tax_unmapped(env):
    return env._("Choose the Xero tax rate for this tax.")


def tax_problem(env, tax_type, problem):
    return {
        "unknown": env._("Xero has no tax rate %(type)s; read Xero's settings again or choose another.", type=tax_type),
        "archived": env._("Xero's tax rate %(type)s is archived.", type=tax_type),
        "not_for_sales": env._("Xero's tax rate %(type)s cannot be used on sales.", type=tax_type),
        "not_for_purchases": env._("Xero's tax rate %(type)s cannot be used on purchases.", type=tax_type),
    }.get(problem, problem)


def rate_differs(env, ours, theirs):
    return env._("Odoo charges %(ours)s, Xero's rate is %(theirs)s: totals will differ.",
                 ours=_pct(ours), theirs=_pct(theirs))


def account_unmapped(env):
    return env._("Choose the Xero account for this account.")


def account_problem(env, code, problem):
    return {
        "unknown": env._("Xero has no account %(code)s.", code=code),
        "archived": env._("Xero's account %(code)s is archived.", code=code),
        "not_for_sales": env._("Xero's account %(code)s is a bank or system account; Xero refuses it on an invoice.",
                           code=code),
    }.get(problem, problem)


def term_problem(env, day, kind, instalments=False):
    if not kind and instalments:
        return env._("Xero has one due date per invoice: choose the one to use (the last instalment's, say).")
    if not kind:
        return env._("Xero cannot say these terms exactly: choose the nearest it can.")
    if kind in ("OFCURRENTMONTH", "OFFOLLOWINGMONTH") and not 1 <= (day or 0) <= 31:
        return env._("The day must be between 1 and 31 when it is a day of the month.")
    if day is not None and day < 0:
        return env._("The number of days cannot be negative.")
    return False


def tracking_unknown(env, name):
    return env._("Xero has no active tracking category %(name)s.", name=name)


def tracking_options_missing(env, name, missing):
    return env._("Xero's tracking category %(name)s has no option %(options)s; lines with those go without it.",
                 name=name, options=", ".join(missing))


def currencies_disabled(env, codes):
    return env._("Currencies active in Odoo but not enabled in Xero: %(codes)s. Orders in them are refused "
                 "until they are added in Xero.", codes=", ".join(codes))


def line_tracking_missing(env, order, line, category, option):
    return env._("%(order)s, line \"%(line)s\": Xero's tracking category %(category)s has no option %(option)s; "
                 "the line goes without it.", order=order, line=line, category=category, option=option)


# -- the preflight --------------------------------------------------------------------------
def no_settings(env, connection):
    return env._("Xero's settings of %(name)s have not been read yet: open the mapping wizard, or connect again.",
                 name=connection)


def line_tax_unmapped(env, order, line, tax):
    return env._("%(order)s, line \"%(line)s\": tax %(tax)s has no Xero tax rate; map it in the mapping wizard.",
                 order=order, line=line, tax=tax)


def line_taxes_several(env, order, line):
    return env._("%(order)s, line \"%(line)s\": Xero takes one tax per line; use a tax group and map it to one "
                 "Xero tax rate.", order=order, line=line)


def line_tax_bad(env, order, line, tax_type, problem):
    return env._("%(order)s, line \"%(line)s\": %(why)s", order=order, line=line,
                 why=tax_problem(env, tax_type, problem))


def line_untaxed(env, order, line):
    return env._("%(order)s, line \"%(line)s\": no tax, and Xero has no tax rate of 0%% for sales to give it; "
                 "Xero would charge the account's default tax.", order=order, line=line)


def line_rate_differs(env, order, line, ours, theirs):
    return env._("%(order)s, line \"%(line)s\": %(why)s", order=order, line=line,
                 why=rate_differs(env, ours, theirs))


def product_tax_bad(env, product, tax_type, problem):
    return env._("%(product)s, customer taxes: %(why)s", product=product, why=tax_problem(env, tax_type, problem))


def mixed_included(env, order):
    return env._("%(order)s: some lines have taxes included in the price and some not; a Xero invoice is "
                 "either tax inclusive or tax exclusive.", order=order)


def line_account_missing(env, order, line, product):
    return env._("%(order)s, line \"%(line)s\": no Xero sales account for product %(product)s; map its income "
                 "account or category, or set a default sales account.", order=order, line=line, product=product)


def account_bad(env, record, code, problem):
    return env._("%(record)s, sales account: %(why)s", record=record, why=account_problem(env, code, problem))


def pair_refused(env, record, tax_type, code):
    return env._("%(record)s: Xero refuses tax rate %(type)s on account %(code)s.", record=record, type=tax_type,
                 code=code)


def currency_disabled(env, order, currency):
    return env._("%(order)s, currency: %(currency)s is not enabled in the Xero organisation; add it in Xero "
                 "(Settings → Currencies) first.", order=order, currency=currency)


def locked(env, order, day, lock):
    return env._("%(order)s, date: %(day)s is on or before Xero's lock date (%(lock)s); Xero refuses it.",
                 order=order, day=day, lock=lock)


def contact_archived(env, partner):
    return env._("%(partner)s is archived in Xero; restore the contact in Xero, or link another one.",
                 partner=partner)


def product_tax_unmapped(env, product, tax):
    return env._("%(product)s, customer taxes: %(tax)s has no Xero tax rate; the item goes without one.",
                 product=product, tax=tax)


def no_customer(env, order):
    return env._("%(order)s: choose a customer.", order=order)


def no_lines(env, order):
    return env._("%(order)s has no line to send.", order=order)
