"""What a Xero document uses in place of Odoo's taxes, accounts and payment terms, for one
connection: the administrator's map (``xero.tax.map``, ``xero.account.map``,
``xero.category.map``, ``xero.payment.term.map``) first, then the evident pairs (the same
account code; the one Xero rate of the same percentage), then the default sales account.
Every object (items, contacts, orders) asks here; Xero's own rules are ``xero.org_settings``.
"""
from ...xero.org_settings import TERM_TYPES, rate_of

# Odoo's payment-term line delays Xero can express as a contact's PaymentTerms.Sales.
EVIDENT_TERMS = {"days_after": "DAYSAFTERBILLDATE", "days_after_end_of_month": "DAYSAFTERBILLMONTH"}


def odoo_rate(tax):
    """An Odoo tax's percentage (a group: its percentage children's sum), None when it is not
    a plain percentage (fixed amounts, taxes on taxes)."""
    if tax.amount_type == "percent":
        return tax.amount
    if tax.amount_type == "group":
        kids = tax.children_tax_ids
        if kids and all(k.amount_type == "percent" and not k.include_base_amount for k in kids):
            return sum(kids.mapped("amount"))
    return None


def evident_terms(term):
    """Xero's {type, days} for an Odoo payment term of one line, None when Xero cannot say it."""
    if not term:
        return None
    lines = term.line_ids
    if len(lines) != 1 or lines.value != "percent":
        return None  # instalments: Xero has one due date per invoice
    if lines.delay_type in EVIDENT_TERMS:
        return {"type": EVIDENT_TERMS[lines.delay_type], "days": lines.nb_days}
    day = int(lines.days_next_month) if (lines.days_next_month or "").isdigit() else 0
    if lines.delay_type == "days_end_of_month_on_the" and 1 <= day <= 31 and lines.nb_days <= 0:
        # "the month's end, then the Dth of the next month": Xero's "Dth of the following month".
        return {"type": "OFFOLLOWINGMONTH", "days": day}
    if lines.delay_type == "days_after_end_of_next_month" and not lines.nb_days:
        return {"type": "OFFOLLOWINGMONTH", "days": 31}  # end of the following month
    return None


class Mapping:
    """One connection's map, read once (a run, a preview, a preflight)."""

    def __init__(self, connection, rules=None):
        connection = connection.sudo()
        self.connection = connection
        self.env = connection.env
        self.company = connection.company_id
        self.rules = rules if rules is not None else connection.xero_settings_id._rules()
        self.default_account = connection.xero_default_sales_account or None

        def rows(model, key, *values):
            found = self.env[model].search([("connection_id", "=", connection.id)])
            return {row[key].id: tuple(row[v] for v in values) for row in found if row[values[0]]}

        self._taxes = {k: v[0] for k, v in rows("xero.tax.map", "tax_id", "xero_tax_type").items()}
        self._accounts = {k: v[0] for k, v in rows("xero.account.map", "account_id", "xero_account_code").items()}
        self._categories = {k: v[0] for k, v in rows("xero.category.map", "categ_id", "xero_account_code").items()}
        self._terms = rows("xero.payment.term.map", "payment_term_id", "xero_type", "xero_day")
        self._tracking = {k: v[0] for k, v in rows("xero.tracking.map", "plan_id", "xero_category").items()}
        self._odoo_accounts, self._odoo_taxes, self._sales_accounts = {}, {}, {}

    # -- Odoo → Xero ------------------------------------------------------------------------
    def tax_type(self, taxes, usage="sale"):
        """The Xero tax type of a line's or product's taxes (one tax, a group counting as one),
        or None: several taxes, or none mapped and none evident."""
        taxes = self.own_taxes(taxes)
        if len(taxes) != 1:
            return None
        if taxes.id in self._taxes:
            return self._taxes[taxes.id]
        if taxes.amount_type != "percent" or taxes.price_include:
            return None
        flag = "CanApplyToRevenue" if usage == "sale" else "CanApplyToExpenses"
        found = [t["TaxType"] for t in self.rules.tax_rates.values()
                 if t.get("Status", "ACTIVE") == "ACTIVE" and t.get(flag)
                 and rate_of(t) == round(taxes.amount, 4)]
        return found[0] if len(found) == 1 else None

    def own_taxes(self, taxes):
        """Those of ``taxes`` the connection's company uses (a branch uses its parents')."""
        return taxes.filtered(lambda t: t.company_id in self.company.parent_ids)

    def line_tax_type(self, taxes, taxed):
        """A document line's tax type: its tax's; for an untaxed line of a taxed document,
        Xero's no-tax rate (without one, Xero would charge the account's default tax)."""
        if taxes:
            return self.tax_type(taxes)
        return self.rules.no_tax_type() if taxed else None

    def is_term_mapped(self, term):
        return term.id in self._terms

    def account_code(self, account):
        """The Xero code of an Odoo account: mapped, or its own code when Xero has it."""
        if not account:
            return None
        if account.id in self._accounts:
            return self._accounts[account.id]
        return account.code if self.rules.account(account.code) and not self.rules.account_problem(account.code) \
            else None

    def sales_account(self, product):
        """The Xero sales account of a product: its own income account's, else its category's
        (mapped, nearest first), else the category's income account's, else the default. Kept
        for the run: an item's values and the check before its write both ask."""
        if product.id not in self._sales_accounts:
            self._sales_accounts[product.id] = self._sales_account(product)
        return self._sales_accounts[product.id]

    def _sales_account(self, product):
        template = product.product_tmpl_id.with_company(self.company)
        code = self.account_code(template.property_account_income_id)
        if code:
            return code
        category = template.categ_id
        while category:
            if category.id in self._categories:
                return self._categories[category.id]
            category = category.parent_id
        return self.account_code(template.categ_id.property_account_income_categ_id) or self.default_account

    def payment_terms(self, term):
        """Xero's {type, days} of an Odoo payment term: mapped, else evident, else None."""
        if term and term.id in self._terms:
            kind, day = self._terms[term.id]
            month_day = kind in ("OFCURRENTMONTH", "OFFOLLOWINGMONTH")
            if kind in TERM_TYPES and day >= 0 and (not month_day or 1 <= day <= 31):
                return {"type": kind, "days": day}
            # A row Xero would refuse (its problem says so): the evident terms, if any.
        return evident_terms(term)

    def tracking(self, line):
        """A sale line's analytic accounts as Xero tracking: ([{name, option}] Xero knows, at most
        two; [(category, option)] Xero has no option for)."""
        found, missing = [], []
        if not self._tracking or not line.analytic_distribution:
            return found, missing
        ids = {int(i) for key in line.analytic_distribution for i in str(key).split(",") if i.isdigit()}
        for account in self.env["account.analytic.account"].browse(sorted(ids)).exists():
            category = self._tracking.get(account.root_plan_id.id)
            if not category:
                continue
            option = self.rules.tracking_option(category, account.name)
            if option and len(found) < 2 and all(t["name"] != category for t in found):
                found.append({"name": self.rules.tracking_category(category)["Name"], "option": option})
            elif not option:
                missing.append((category, account.name))
        return found, missing

    # -- Xero → Odoo (what an item read from Xero becomes) ----------------------------------
    def account(self, code, env):
        """The company's Odoo account of a Xero code (mapped, else the same code), or none."""
        Account = env["account.account"]
        if not code or not self.rules.account(code):
            return Account
        if code not in self._odoo_accounts:
            mapped = [k for k, v in self._accounts.items() if (v or "").upper() == code.upper()]
            if len(mapped) == 1:
                self._odoo_accounts[code] = mapped[0]
            else:
                self._odoo_accounts[code] = Account.with_company(self.company).search(
                    [("code", "=", code), ("company_ids", "in", self.company.parent_ids.ids)], limit=1).id
        return Account.browse(self._odoo_accounts[code])

    def taxes(self, tax_type, usage, env):
        """The company's one Odoo tax of a Xero tax type (mapped, else the one of its rate)."""
        Tax = env["account.tax"]
        rate = self.rules.tax_rate(tax_type) if tax_type else None
        if rate is None:
            return Tax
        if (tax_type, usage) not in self._odoo_taxes:
            mapped = Tax.browse([k for k, v in self._taxes.items() if (v or "").upper() == tax_type.upper()]) \
                .filtered(lambda t: t.type_tax_use == usage)
            if len(mapped) != 1:
                value = rate_of(rate)
                mapped = Tax.search([("company_id", "in", self.company.parent_ids.ids), ("type_tax_use", "=", usage),
                                     ("amount_type", "=", "percent"), ("price_include", "=", False)])
                mapped = mapped.filtered(lambda t: round(t.amount, 4) == value)
            self._odoo_taxes[tax_type, usage] = mapped.ids if len(mapped) == 1 else []
        return Tax.browse(self._odoo_taxes[tax_type, usage])
