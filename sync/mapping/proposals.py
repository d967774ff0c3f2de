"""The wizard's proposals: a row for every Odoo sales tax, income account and payment term of
the connection's company that has none yet, filled with what most likely matches in Xero.
Rows an administrator already has are never changed."""
from . import evident_terms, odoo_rate


def propose(connection):
    """Create the missing rows of ``connection``'s map; returns how many were added."""
    env = connection.env
    company = connection.company_id
    rules = connection.xero_settings_id._rules()
    added = 0

    taxes = env["account.tax"].search([("company_id", "=", company.id), ("type_tax_use", "=", "sale")])
    rows = _missing(env["xero.tax.map"], connection, "tax_id", taxes)
    added += len(env["xero.tax.map"].create([{
        "connection_id": connection.id, "tax_id": tax.id,
        "xero_tax_type": rules.propose_tax_type(odoo_rate(tax), tax.name) if odoo_rate(tax) is not None else False,
    } for tax in rows]))

    # Income accounts products sell to (not gains on exchange or discounts, which no line uses).
    accounts = env["account.account"].search([("company_ids", "in", company.id), ("account_type", "=", "income")])
    rows = _missing(env["xero.account.map"], connection, "account_id", accounts)
    added += len(env["xero.account.map"].create([{
        "connection_id": connection.id, "account_id": account.id,
        "xero_account_code": rules.propose_account(account.code, account.name) or False,
    } for account in rows]))

    if not connection.xero_default_sales_account:
        # The default sales account: Xero's for the company's usual income account.
        usual = env["product.category"].search([], limit=1).with_company(company).property_account_income_categ_id
        connection.xero_default_sales_account = rules.propose_account(usual.code, usual.name) \
            or next((a["Code"] for a in rules.sales_accounts() if a.get("Name", "").casefold() == "sales"), False)

    terms = env["account.payment.term"].search([("company_id", "in", (False, company.id))])
    rows = _missing(env["xero.payment.term.map"], connection, "payment_term_id", terms)
    proposed = [(term, evident_terms(term) or {}) for term in rows]
    added += len(env["xero.payment.term.map"].create([{
        "connection_id": connection.id, "payment_term_id": term.id,
        "xero_type": found.get("type") or False, "xero_day": found.get("days") or 0,
    } for term, found in proposed]))
    # Analytic plans named as a Xero tracking category (Region, Department...).
    # (Read as the system: a Xero administrator need not be an analytic accountant.)
    plans = env["account.analytic.plan"].sudo().search([("parent_id", "=", False)])
    plans = _missing(env["xero.tracking.map"], connection, "plan_id", plans) \
        .filtered(lambda plan: rules.tracking_category(plan.name))
    added += len(env["xero.tracking.map"].create([{
        "connection_id": connection.id, "plan_id": plan.id,
        "xero_category": rules.tracking_category(plan.name)["Name"]} for plan in plans]))
    return added


def _missing(Map, connection, field, records):
    have = set(Map.search([("connection_id", "=", connection.id)]).mapped(field + ".id"))
    return records.filtered(lambda r: r.id not in have)
