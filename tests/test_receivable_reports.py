"""Sales → Xero reports on known data: orders sent to the fake Xero, approved, paid there on known
days, read back by the payments' scheduled action; then each report's figures, and one company's
reports out of another's sight."""
import datetime

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.xero_connector.xero_sandbox import documents

from .orders_common import OrdersCase

DAY = datetime.timedelta(days=1)


def month_of(day):
    return day.replace(day=1)


@tagged("post_install", "-at_install")
class TestReceivableReports(OrdersCase):
    def setUp(self):
        super().setUp()
        # The reports age against the database's day, as these dates do.
        self.env.cr.execute("SELECT CURRENT_DATE")
        self.today = self.env.cr.fetchone()[0]
        self.last_month = month_of(self.today) - 5 * DAY
        self.finance = self.user("Fiona Finance", "fiona-reports",
                                 "xero_connector.group_xero_finance", "sales_team.group_sale_salesman_all_leads")
        self.seller = self.user("Sam Seller", "sam-reports",
                                "sales_team.group_sale_salesman_all_leads")
        company = self.env.company
        self.north = self.env["crm.team"].create({"name": "North", "invoiced_target": 1000, "company_id": company.id})
        self.south = self.env["crm.team"].create({"name": "South", "invoiced_target": 500, "company_id": company.id})
        self.newsletter = self.env["utm.source"].create({"name": "Newsletter (reports)"})
        self.fair = self.env["utm.source"].create({"name": "Trade fair (reports)"})
        self.kiwi = self.customer_co
        self.tui = self.env["res.partner"].create({"name": "Tui Foods Ltd", "is_company": True,
                                                   "country_id": self.env.ref("base.nz").id})
        self.customers = self.kiwi | self.tui
        # Orders billed in the organisation's base currency, whatever the company's: the mirror's
        # amounts are the invoices' own.
        nzd = self.env.ref("base.NZD")
        nzd.active = True
        self.in_nzd = self.env["product.pricelist"].create({"name": "NZD (reports)", "currency_id": nzd.id})

    # -- the data -------------------------------------------------------------------------------
    def confirmed_order(self, partner, qty, team=None, source=None, days_ago=0, **vals):
        """A confirmed order of ``qty`` × 100 (GST 15% on top), confirmed ``days_ago`` days ago."""
        order = self.confirmed(partner=partner, lines=[(self.product("Beans"), qty, 100.0, self.sale_tax)],
                               user_id=self.seller.id, team_id=(team or self.north).id,
                               source_id=source.id if source else False, **vals)
        if days_ago:
            order.date_order = fields.Datetime.now() - days_ago * DAY
        self.env.flush_all()
        return order

    def billed(self, partner, qty, team, source, dated, due, expected=None):
        """An order sent to Xero and approved by finance, its invoice dated ``dated`` and due
        ``due`` (days from today), expected to be paid ``expected`` days from today."""
        order = self.confirmed_order(partner, qty, team, source, pricelist_id=self.in_nzd.id)
        self.assertEqual(order.currency_id.name, "NZD")
        order.with_user(self.seller).action_send_to_xero()
        order.with_user(self.finance).action_xero_approve()
        self.env.flush_all()
        invoice = self.xero_invoice(order)
        documents.set_date(invoice, "Date", self.today + dated * DAY)
        documents.set_date(invoice, "DueDate", self.today + due * DAY)
        if expected is not None:
            documents.set_date(invoice, "ExpectedPaymentDate", self.today + expected * DAY)
        return order

    def pay(self, order, amount, day):
        self.fake.pay_invoice(self.tenant_id, order.xero_invoice_id, amount=amount, date=day)

    def known_data(self):
        """Kiwi: A (first order, newsletter, North) 230 due in 20 days, expected in 40, 30 paid
        today; C (trade fair, North) 460 due 95 days ago, 60 paid last month.
        Tui: B (trade fair, South) 115 due 45 days ago, paid last month; D (no source, South) 230
        due 40 days ago."""
        a = self.billed(self.kiwi, 2, self.north, self.newsletter, dated=-10, due=20, expected=40)
        a.date_order = fields.Datetime.now() - 30 * DAY  # Kiwi's first order with a source
        b = self.billed(self.tui, 1, self.south, self.fair, dated=-60, due=-45)
        c = self.billed(self.kiwi, 4, self.north, self.fair, dated=-100, due=-95)
        d = self.billed(self.tui, 2, self.south, None, dated=-50, due=-40)
        self.pay(a, 30.0, self.today)
        self.pay(b, 115.0, self.last_month)
        self.pay(c, 60.0, self.last_month)
        self.pull_payments()
        return a, b, c, d

    def grouped(self, model, domain, groupby, aggregates, user=None):
        """{group key (a tuple, or the value for one group): aggregate (or tuple)} of ``model``."""
        rows = self.env[model].with_user(user or self.finance)._read_group(domain, groupby, aggregates)
        out = {}
        for row in rows:
            keys, values = row[:len(groupby)], row[len(groupby):]
            keys = tuple(k.id if hasattr(k, "_name") else k for k in keys)
            out[keys[0] if len(keys) == 1 else keys] = values[0] if len(values) == 1 else tuple(values)
        return out

    # -- the reports ----------------------------------------------------------------------------
    def test_ageing_by_customer_matches_the_customer_figures(self):
        a, b, c, d = self.known_data()
        ageing = self.grouped("xero.receivable.report", [("partner_id", "in", self.customers.ids),
                                                         ("balance", "!=", 0)], ["partner_id", "bucket"],
                              ["balance:sum"])
        self.assertEqual(ageing, {(self.kiwi.id, "current"): 200.0, (self.kiwi.id, "90_plus"): 400.0,
                                  (self.tui.id, "31_60"): 230.0})
        rows = self.env["xero.receivable.report"].with_user(self.finance).search(
            [("partner_id", "in", self.customers.ids)])
        self.assertEqual(rows.order_id, a | b | c | d)
        self.assertEqual({r.order_id: (r.team_id, r.user_id, r.source_id) for r in rows},
                         {a: (self.north, self.seller, self.newsletter), b: (self.south, self.seller, self.fair),
                          c: (self.north, self.seller, self.fair), d: (self.south, self.seller,
                                                                       self.env["utm.source"])})
        self.assertEqual({r.order_id: (r.overdue, r.days_overdue) for r in rows},
                         {a: (0.0, 0), b: (0.0, 0), c: (400.0, 95), d: (230.0, 40)})
        # The same buckets as on the customer's form.
        kiwi, tui = self.kiwi.with_user(self.finance), self.tui.with_user(self.finance)
        self.assertEqual((kiwi.xero_ageing_current, kiwi.xero_ageing_90_plus, kiwi.xero_overdue),
                         (200.0, 400.0, 400.0))
        self.assertEqual((tui.xero_ageing_31_60, tui.xero_overdue, tui.xero_lifetime_paid), (230.0, 230.0, 115.0))

    def test_cash_flow_forecast_by_expected_else_due_date(self):
        self.known_data()
        forecast = self.grouped("xero.receivable.report", [("partner_id", "in", self.customers.ids),
                                                           ("balance", "!=", 0)], ["forecast_date:month"],
                                ["balance:sum"])
        self.assertEqual(forecast, {month_of(self.today + 40 * DAY): 200.0,   # A: expected
                                    month_of(self.today - 95 * DAY): 400.0,   # C: due, overdue
                                    month_of(self.today - 40 * DAY): 230.0})  # D: due, overdue

    def test_revenue_received_by_month_against_the_team_targets(self):
        self.known_data()
        revenue = self.grouped("xero.revenue.report", [("team_id", "in", (self.north | self.south).ids),
                                                       ("month", ">=", month_of(self.last_month))],
                               ["team_id", "month:month"], ["received:sum", "target:sum", "invoice_count:sum"])
        this, last = month_of(self.today), month_of(self.last_month)
        self.assertEqual(revenue, {(self.north.id, this): (30.0, 1000.0, 1), (self.north.id, last): (60.0, 1000.0, 1),
                                   (self.south.id, this): (0.0, 500.0, 0), (self.south.id, last): (115.0, 500.0, 1)})
        # Over the two months, by team: what was received beside two months of target.
        totals = self.grouped("xero.revenue.report", [("team_id", "in", (self.north | self.south).ids),
                                                      ("month", ">=", last)], ["team_id"],
                              ["received:sum", "target:sum"])
        self.assertEqual(totals, {self.north.id: (90.0, 2000.0), self.south.id: (115.0, 1000.0)})

    def test_customer_lifetime_value_by_the_source_of_the_first_order(self):
        a, b, _c, _d = self.known_data()
        value = self.grouped("xero.customer.value.report", [("partner_id", "in", self.customers.ids)],
                             ["source_id"], ["customer_count:sum", "lifetime_paid:sum", "outstanding:sum",
                                             "average_paid:avg"])
        # Kiwi came by the newsletter (its later order by the fair does not move it), Tui by the fair.
        self.assertEqual(value, {self.newsletter.id: (1, 90.0, 600.0, 90.0), self.fair.id: (1, 115.0, 230.0, 115.0)})
        rows = self.env["xero.customer.value.report"].with_user(self.finance).search(
            [("partner_id", "in", self.customers.ids)])
        self.assertEqual({r.partner_id: (r.first_order_id, r.invoice_count) for r in rows},
                         {self.kiwi: (a, 2), self.tui: (b, 2)})
        [(average,)] = self.env["xero.customer.value.report"].with_user(self.finance)._read_group(
            [("partner_id", "in", self.customers.ids)], [], ["average_paid:avg"])
        self.assertEqual(average, 102.5)

    def test_revenue_leakage_after_the_days_set(self):
        late = self.confirmed_order(self.kiwi, 3, days_ago=10)        # 300 untaxed, never sent
        recent = self.confirmed_order(self.tui, 1, days_ago=3)        # 100 untaxed, never sent
        voided = self.confirmed_order(self.tui, 2, days_ago=12)       # 200 untaxed, its invoice voided
        voided.with_user(self.seller).action_send_to_xero()
        voided.with_user(self.finance).action_xero_approve()
        voided.with_user(self.finance).action_xero_void()
        sent = self.confirmed_order(self.kiwi, 5, days_ago=20)
        sent.with_user(self.seller).action_send_to_xero()
        self.order(partner=self.kiwi)                                 # a quotation
        self.env.flush_all()
        ours = [("order_id", "in", (late | recent | voided | sent).ids)]

        def leaking():
            self.env.flush_all()  # the view reads the setting from the database
            return self.grouped("xero.leakage.report", ours, ["order_id"], ["reason:array_agg", "amount_untaxed:sum",
                                                                             "amount_total:sum"])

        self.assertEqual(leaking(), {late.id: (["not_sent"], 300.0, 345.0), voided.id: (["voided"], 200.0, 230.0)})
        self.params.set_param("xero_connector.leakage_days", "2")
        self.assertEqual(set(leaking()), {late.id, recent.id, voided.id})
        self.params.set_param("xero_connector.leakage_days", "soon")  # not a number: 7 days
        self.assertEqual(set(leaking()), {late.id, voided.id})
        row = self.env["xero.leakage.report"].with_user(self.finance).search([("order_id", "=", late.id)])
        self.assertEqual((row.days_waiting, row.partner_id, row.user_id), (10, self.kiwi, self.seller))
        self.assertEqual(row.action_open_order()["res_id"], late.id)

    def test_the_dashboard_puts_receivables_beside_the_pipeline(self):
        def dashboard():
            action = self.env["xero.dashboard"].with_user(self.finance).action_open()
            rows = self.env["xero.dashboard"].with_user(self.finance).search(action["domain"])
            self.assertEqual(rows.company_id, self.env.company)
            return rows.read(["receivables", "overdue", "unbilled", "unbilled_count", "quotations",
                              "quotation_count", "opportunities"])[0]

        before = dashboard()
        self.known_data()
        self.confirmed_order(self.kiwi, 3, days_ago=10)               # 300 not billed
        self.order(partner=self.tui, lines=[(self.product("Beans"), 5, 100.0, self.sale_tax)])  # 500 quoted
        after = dashboard()
        self.assertEqual({key: round(after[key] - before[key], 2) for key in before if key != "id"},
                         {"receivables": 830.0, "overdue": 630.0, "unbilled": 300.0, "unbilled_count": 1,
                          "quotations": 500.0, "quotation_count": 1, "opportunities": 0.0})
        if "crm.lead" not in self.env:
            self.assertEqual(after["opportunities"], 0.0)

    # -- who sees what --------------------------------------------------------------------------
    def test_only_finance_reads_the_reports(self):
        self.known_data()
        for model in ("xero.receivable.report", "xero.revenue.report", "xero.customer.value.report",
                      "xero.leakage.report", "xero.dashboard"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.seller).search([])
        with self.assertRaises(AccessError):
            self.env["xero.dashboard"].with_user(self.seller).action_open()
        finance = self.env.ref("xero_connector.group_xero_finance")
        for xmlid in ("menu_sale_xero_dashboard", "menu_sale_xero_ageing", "menu_sale_xero_forecast",
                      "menu_sale_xero_revenue", "menu_sale_xero_customer_value", "menu_sale_xero_leakage"):
            self.assertEqual(self.env.ref("xero_connector." + xmlid).groups_id, finance, xmlid)

    def test_a_second_company_sees_nothing_of_the_first(self):
        self.known_data()
        self.confirmed_order(self.kiwi, 3, days_ago=10)
        company, connection, _tenant = self.connected_company("Other Co", "AUD")
        self.env["xero.invoice"].create({
            "connection_id": connection.id, "xero_invoice_id": "other-1", "kind": "invoice", "number": "OTHER-1",
            "status": "AUTHORISED", "partner_id": self.kiwi.id, "date": self.today - 30 * DAY,
            "due_date": self.today - 10 * DAY, "last_payment_date": self.today, "total": 70.0, "amount_due": 50.0,
            "amount_paid": 20.0, "balance": 50.0, "paid_base": 20.0})
        other = self.env["res.users"].create({
            "name": "Olive Other", "login": "olive-reports", "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set((self.env.ref("xero_connector.group_xero_finance")
                                       | self.env.ref("sales_team.group_sale_salesman_all_leads")).ids)]})
        for model in ("xero.receivable.report", "xero.revenue.report", "xero.customer.value.report",
                      "xero.leakage.report"):
            self.assertFalse(self.env[model].with_user(other).search([]).company_id - company, model)
            self.assertFalse(self.env[model].with_user(self.finance).search([("company_id", "=", company.id)]),
                             model)
        self.assertEqual(self.grouped("xero.receivable.report", [], ["partner_id"], ["balance:sum", "overdue:sum"],
                                      user=other), {self.kiwi.id: (50.0, 50.0)})
        self.assertEqual(self.grouped("xero.customer.value.report", [], ["partner_id"], ["lifetime_paid:sum"],
                                      user=other), {self.kiwi.id: 20.0})
        # The first company's Kiwi is as it was.
        self.assertEqual(self.grouped("xero.receivable.report", [("partner_id", "=", self.kiwi.id)], ["partner_id"],
                                      ["balance:sum"]), {self.kiwi.id: 600.0})
        action = self.env["xero.dashboard"].with_user(other).action_open()
        rows = self.env["xero.dashboard"].with_user(other).search(action["domain"])
        self.assertEqual((rows.company_id, rows.receivables, rows.overdue, rows.unbilled), (company, 50.0, 50.0, 0.0))
        # Nor does one user read the dashboard rows counted for another.
        mine = self.env["xero.dashboard"].with_user(self.finance).action_open()
        self.assertFalse(self.env["xero.dashboard"].with_user(other).search(mine["domain"]))
