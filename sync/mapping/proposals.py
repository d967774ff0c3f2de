"""The wizard's proposals: a row for every Odoo sales tax, income account in use and payment term
of the connection's company, filled with what most likely matches in Xero. A row an
administrator confirmed is never changed; a proposal left empty is tried again (Xero may have
the account or rate by now)."""
from . import evident_terms, odoo_rate


def propose(connection):
    """Create or fill the rows of ``connection``'s map; returns how many were proposed."""
    env = connection.env
    company = connection.company_id
    rules = connection.xero_settings_id._rules()

    def tax_type(tax):
        rate = odoo_rate(tax)
        return {"xero_tax_type": rules.propose_tax_type(rate, tax.name) if rate is not None else False}

    def account_code(account):
        return {"xero_account_code": rules.propose_account(account.code, account.name) or False}

    def terms(term):
        found = evident_terms(term) or {}
        return {"xero_type": found.get("type") or False, "xero_day": found.get("days") or 0}

    def tracking(plan):
        category = rules.tracking_category(plan.name)
        return {"xero_category": category["Name"] if category else False}

    # A branch sells with its parents' taxes and accounts.
    taxes = env["account.tax"].search([("company_id", "in", company.parent_ids.ids), ("type_tax_use", "=", "sale")])
    # (Read as the system: a Xero administrator need not be an analytic accountant.)
    plans = env["account.analytic.plan"].sudo().search([("parent_id", "=", False)])
    count = _propose(connection, "xero.tax.map", "tax_id", "xero_tax_type", taxes, tax_type)
    count += _propose(connection, "xero.account.map", "account_id", "xero_account_code",
                      _income_accounts(env, company), account_code)
    count += _propose(connection, "xero.payment.term.map", "payment_term_id", "xero_type",
                      env["account.payment.term"].search([("company_id", "in", (False, company.id))]), terms)
    count += _propose(connection, "xero.tracking.map", "plan_id", "xero_category",
                      plans.filtered(lambda plan: rules.tracking_category(plan.name)), tracking)

    if not connection.xero_default_sales_account:
        # Xero's account for the company's usual income account, else Xero's "Sales".
        usual = env["product.category"].search([], limit=1).with_company(company).property_account_income_categ_id
        connection.xero_default_sales_account = rules.propose_account(usual.code, usual.name) \
            or next((a["Code"] for a in rules.sales_accounts() if a.get("Name", "").casefold() == "sales"), False)
    return count


def _propose(connection, model, field, value_field, records, proposal):
    Map = connection.env[model]
    rows = Map.search([("connection_id", "=", connection.id), (field, "in", records.ids)])
    have = {row[field].id: row for row in rows}
    for row in rows.filtered(lambda r: not r.confirmed and not r[value_field]):
        row.write(proposal(row[field]))
    new = Map.create([dict(proposal(record), connection_id=connection.id, **{field: record.id})
                      for record in records if record.id not in have])
    return len(new)


def _income_accounts(env, company):
    """The income accounts sales lines use: the categories' and the products' own (not gains
    on exchange or discounts, which no line is coded to)."""
    categories = env["product.category"].with_company(company).search([])
    accounts = categories.property_account_income_categ_id
    templates = env["product.template"].with_company(company).search(
        [("sale_ok", "=", True), ("company_id", "in", (False, company.id))])
    accounts |= templates.property_account_income_id
    return accounts.filtered(lambda a: a.company_ids & company.parent_ids)
