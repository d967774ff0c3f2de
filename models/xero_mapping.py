"""The administrator's map between Odoo and one Xero organisation: one row per Odoo record and
connection. Rows are proposed by the mapping wizard (``confirmed`` unticked) and confirmed or
changed there; a script may create or change them. How a document uses them:
``sync/mapping``."""
from odoo import api, fields, models

from ..sync.mapping import messages, odoo_rate
from ..xero.org_settings import TERM_TYPES, rate_of

TERM_TYPE_LABELS = [
    ("DAYSAFTERBILLDATE", "days after the invoice date"),
    ("DAYSAFTERBILLMONTH", "days after the end of the invoice month"),
    ("OFCURRENTMONTH", "of the invoice's month"),
    ("OFFOLLOWINGMONTH", "of the following month"),
]
assert [t for t, _label in TERM_TYPE_LABELS] == list(TERM_TYPES)


class XeroMapMixin(models.AbstractModel):
    _name = "xero.map.mixin"
    _description = "Xero mapping row"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    confirmed = fields.Boolean(help="Unticked: proposed by the wizard, waiting for an administrator.")
    problem = fields.Char(compute="_compute_problem")

    def _rules(self):
        return self.connection_id.xero_settings_id._rules()


class XeroTaxMap(models.Model):
    _name = "xero.tax.map"
    _inherit = "xero.map.mixin"
    _description = "Odoo tax → Xero tax rate"
    _order = "tax_id"

    tax_id = fields.Many2one("account.tax", string="Odoo tax", required=True, ondelete="cascade",
                             domain="[('type_tax_use', '=', 'sale'), ('company_id', 'parent_of', company_id)]")
    xero_tax_type = fields.Char("Xero tax type")
    xero_tax_rate_id = fields.Many2one(
        "xero.tax.rate", string="Xero tax rate", compute="_compute_xero_tax_rate", inverse="_inverse_xero_tax_rate",
        domain="[('connection_id', '=', connection_id), ('sales_ok', '=', True)]")
    price_include = fields.Boolean(related="tax_id.price_include", string="Included in price")

    _sql_constraints = [("tax_uniq", "unique(connection_id, tax_id)", "A tax is mapped once per Xero organisation.")]

    @api.depends("connection_id", "xero_tax_type")
    def _compute_xero_tax_rate(self):
        for row in self:
            row.xero_tax_rate_id = self.env["xero.tax.rate"].search(
                [("connection_id", "=", row.connection_id.id), ("tax_type", "=ilike", row.xero_tax_type)],
                limit=1) if row.xero_tax_type else False

    def _inverse_xero_tax_rate(self):
        for row in self:
            row.xero_tax_type = row.xero_tax_rate_id.tax_type or False

    @api.depends("tax_id", "xero_tax_type", "connection_id")
    def _compute_problem(self):
        for row in self:
            rules = row._rules()
            if not row.xero_tax_type:
                row.problem = messages.tax_unmapped(self.env)
            elif not rules.organisation:
                row.problem = False  # Xero's settings not read yet: nothing to check against
            elif rules.tax_problem(row.xero_tax_type):
                row.problem = messages.tax_problem(self.env, row.xero_tax_type, rules.tax_problem(row.xero_tax_type))
            else:
                theirs, ours = rate_of(rules.tax_rate(row.xero_tax_type)), odoo_rate(row.tax_id)
                row.problem = messages.rate_differs(self.env, ours, theirs) \
                    if ours is not None and round(ours, 4) != theirs else False


class XeroAccountCodeMixin(models.AbstractModel):
    """A row whose Xero side is a sales account, kept by its code and picked in a list."""

    _name = "xero.account.code.mixin"
    _inherit = "xero.map.mixin"
    _description = "Xero mapping row to a sales account"
    _account_required = True  # an empty code is a problem

    xero_account_code = fields.Char("Xero account code")
    xero_account_id = fields.Many2one(
        "xero.account", string="Xero account", compute="_compute_xero_account", inverse="_inverse_xero_account",
        domain="[('connection_id', '=', connection_id), ('sales_ok', '=', True), ('revenue', '=', True)]")

    @api.depends("connection_id", "xero_account_code")
    def _compute_xero_account(self):
        for row in self:
            row.xero_account_id = self.env["xero.account"].search(
                [("connection_id", "=", row.connection_id.id), ("code", "=ilike", row.xero_account_code)],
                limit=1) if row.xero_account_code else False

    def _inverse_xero_account(self):
        for row in self:
            row.xero_account_code = row.xero_account_id.code or False

    @api.depends("xero_account_code", "connection_id")
    def _compute_problem(self):
        for row in self:
            code, rules = row.xero_account_code, row._rules()
            problem = rules.account_problem(code) if code and rules.organisation else None
            if problem:
                row.problem = messages.account_problem(self.env, code, problem)
            else:
                row.problem = messages.account_unmapped(self.env) if not code and self._account_required else False


class XeroAccountMap(models.Model):
    _name = "xero.account.map"
    _inherit = "xero.account.code.mixin"
    _description = "Odoo income account → Xero account"
    _order = "account_id"

    account_id = fields.Many2one("account.account", string="Odoo account", required=True, ondelete="cascade")

    _sql_constraints = [("account_uniq", "unique(connection_id, account_id)",
                         "An account is mapped once per Xero organisation.")]


class XeroCategoryMap(models.Model):
    """A category's own sales account in Xero, for products without an income account of their
    own (optional: without a row, the category's income account's map applies)."""

    _name = "xero.category.map"
    _inherit = "xero.account.code.mixin"
    _description = "Odoo product category → Xero sales account"
    _order = "categ_id"
    _account_required = False

    categ_id = fields.Many2one("product.category", string="Product category", required=True, ondelete="cascade")

    _sql_constraints = [("categ_uniq", "unique(connection_id, categ_id)",
                         "A category is mapped once per Xero organisation.")]


class XeroPaymentTermMap(models.Model):
    _name = "xero.payment.term.map"
    _inherit = "xero.map.mixin"
    _description = "Odoo payment terms → Xero due date"
    _order = "payment_term_id"

    payment_term_id = fields.Many2one("account.payment.term", string="Payment terms", required=True,
                                      ondelete="cascade")
    xero_day = fields.Integer("Day")
    xero_type = fields.Selection(TERM_TYPE_LABELS, string="Due")

    _sql_constraints = [("term_uniq", "unique(connection_id, payment_term_id)",
                         "Payment terms are mapped once per Xero organisation.")]

    @api.depends("xero_day", "xero_type", "payment_term_id")
    def _compute_problem(self):
        for row in self:
            row.problem = messages.term_problem(self.env, row.xero_day, row.xero_type,
                                                len(row.payment_term_id.line_ids) > 1)


class XeroTrackingMap(models.Model):
    _name = "xero.tracking.map"
    _inherit = "xero.map.mixin"
    _description = "Odoo analytic plan → Xero tracking category"
    _order = "plan_id"

    plan_id = fields.Many2one("account.analytic.plan", string="Analytic plan", required=True, ondelete="cascade")
    xero_category = fields.Char("Xero tracking category", help="Its name in Xero; a line's analytic account of "
                                "this plan goes as the option of the same name.")
    xero_category_id = fields.Many2one(
        "xero.tracking.category", string="Tracking category", compute="_compute_xero_category",
        inverse="_inverse_xero_category", domain="[('connection_id', '=', connection_id), ('status', '=', 'ACTIVE')]")

    _sql_constraints = [("plan_uniq", "unique(connection_id, plan_id)",
                         "An analytic plan is mapped once per Xero organisation.")]

    @api.depends("connection_id", "xero_category")
    def _compute_xero_category(self):
        for row in self:
            row.xero_category_id = self.env["xero.tracking.category"].search(
                [("connection_id", "=", row.connection_id.id), ("name", "=ilike", row.xero_category)],
                limit=1) if row.xero_category else False

    def _inverse_xero_category(self):
        for row in self:
            row.xero_category = row.xero_category_id.name or False

    @api.depends("xero_category", "plan_id")
    def _compute_problem(self):
        for row in self:
            if not row.xero_category:
                row.problem = False
                continue
            rules = row._rules()
            if not rules.organisation:
                row.problem = False
                continue
            category = rules.tracking_category(row.xero_category)
            if not category:
                row.problem = messages.tracking_unknown(self.env, row.xero_category)
                continue
            names = {(o.get("Name") or "").casefold() for o in category.get("Options") or []
                     if o.get("Status", "ACTIVE") == "ACTIVE"}
            # (As the system: a Xero administrator need not be an analytic accountant; only the
            # connection's company's accounts, and those of no company.)
            accounts = self.env["account.analytic.account"].sudo().search([
                ("root_plan_id", "=", row.plan_id.id),
                ("company_id", "in", [False] + row.connection_id.company_id.parent_ids.ids)])
            missing = [a.name for a in accounts
                       if a.name.casefold() not in names]
            row.problem = messages.tracking_options_missing(self.env, row.xero_category, missing) if missing else False
