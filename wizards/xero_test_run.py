"""A test run: up to five orders, customers or products, previewed exactly as they would go to
Xero (the JSON, what would be created first, the preflight's problems) without writing
anything there, then sent, each with its result and a link to it in Xero."""
import json

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..sync.contacts.values import contact_values
from ..sync.items.values import code_prefix, item_values
from ..sync.mapping import Mapping
from ..sync.engine import messages as engine_messages
from ..sync.orders import messages as order_messages, send
from ..sync.orders.values import customer as order_customer, invoice_label, options, order_values
from ..sync.preflight import BLOCK, Preflight
from ..xero import links
from ..xero.mappers import contact as contact_mapper
from ..xero.mappers import invoice as invoice_mapper
from ..xero.mappers import item as item_mapper

MAX_RECORDS = 5
KINDS = [("order", "Order"), ("partner", "Customer"), ("product", "Product")]
FIELD_OF = {"sale.order": "order_ids", "res.partner": "partner_ids", "product.product": "product_ids"}


class XeroTestRun(models.TransientModel):
    _name = "xero.test.run"
    _description = "Xero test run"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade",
                                    default=lambda self: self.env.company.xero_connection_id)
    order_ids = fields.Many2many("sale.order", string="Orders")
    partner_ids = fields.Many2many("res.partner", string="Customers")
    product_ids = fields.Many2many("product.product", string="Products")
    line_ids = fields.One2many("xero.test.run.line", "run_id", string="Records")
    state = fields.Selection([("draft", "Choose"), ("preview", "Previewed"), ("sent", "Sent")], default="draft")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, ids = self.env.context.get("active_model"), self.env.context.get("active_ids")
        if model == "product.template" and ids:
            model, ids = "product.product", self.env["product.template"].browse(ids).product_variant_ids.ids
        field = FIELD_OF.get(model)
        if field and field in fields_list and ids:
            values[field] = [(6, 0, ids)]
        return values

    @api.constrains("order_ids", "partner_ids", "product_ids", "connection_id")
    def _check_company(self):
        for run in self:
            company = run.connection_id.company_id
            for record in [*run.order_ids, *run.partner_ids, *run.product_ids]:
                if record.company_id and record.company_id not in company.parent_ids:
                    raise ValidationError(self.env._(
                        "%(record)s belongs to %(other)s, not to %(company)s, whose Xero organisation this test "
                        "run uses.", record=record.display_name, other=record.company_id.name, company=company.name))

    @api.constrains("order_ids", "partner_ids", "product_ids")
    def _check_five(self):
        for run in self:
            count = len(run.order_ids) + len(run.partner_ids) + len(run.product_ids)
            if count > MAX_RECORDS:
                raise ValidationError(self.env._(
                    "A test run takes five records at most (orders, customers and products together); "
                    "%(count)s are chosen. Remove some and try again.", count=count))

    def _compute_display_name(self):
        for run in self:
            run.display_name = self.env._("Xero test run")

    def _open(self):
        return {"type": "ir.actions.act_window", "name": self.env._("Xero test run"), "res_model": self._name,
                "res_id": self.id, "view_mode": "form", "target": "new"}

    # -- preview: nothing is written to Xero ------------------------------------------------
    def action_preview(self):
        self.ensure_one()
        if not (self.order_ids or self.partner_ids or self.product_ids):
            raise UserError(self.env._("Choose at least one order, customer or product to try."))
        connection = self.connection_id
        mapping = Mapping(connection)
        check = Preflight(connection, mapping)
        self.line_ids.unlink()
        lines = [self._partner_line(check, partner) for partner in self.partner_ids]
        lines += [self._product_line(check, product) for product in self.product_ids]
        lines += [self._order_line(check, order) for order in self.order_ids]
        self.write({"line_ids": [(0, 0, line) for line in lines], "state": "preview"})
        return self._open()

    def _line(self, kind, record, payload, problems, dependencies=(), note=False):
        return {
            "kind": kind, "res_model": record._name, "res_id": record.id, "name": record.display_name, "note": note,
            "payload": json.dumps(payload, indent=2, ensure_ascii=False, default=str),
            "dependencies": "\n".join(dependencies),
            "problems": "\n".join(self._problem_text(p) for p in problems),
            "blocked": any(p["level"] == BLOCK for p in problems),
            "status": "block" if any(p["level"] == BLOCK for p in problems) else "warn" if problems else "ready",
        }

    def _problem_text(self, problem):
        if problem["level"] == BLOCK:
            return self.env._("Stops it: %s", problem["message"])
        return self.env._("Warning: %s", problem["message"])

    def _contact(self, check, partner):
        """(ContactID or None, the contact's payload as it would be sent, a note when nothing would)."""
        partner = partner.commercial_partner_id
        link = self.env["xero.partner.link"].sudo()._links_of(partner, self.connection_id)
        values = contact_values(partner, self.connection_id, mapping=check.mapping)[partner.id]
        xero_id = link.xero_contact_id or None
        payload = contact_mapper.to_xero(dict(values, xero_id=xero_id) if xero_id else values, create=not xero_id)
        return xero_id, payload, self._up_to_date(link, contact_mapper.group_hashes(values))

    def _item(self, check, product):
        link = self.env["xero.product.link"].sudo()._links_of(product, self.connection_id)
        values = item_values(product, self.connection_id, code_prefix(self.env), check.mapping)[product.id]
        xero_id = link.xero_item_id or None
        payload = item_mapper.to_xero(dict(values, xero_id=xero_id) if xero_id else values, create=not xero_id)
        return xero_id, link.xero_code or values["code"], payload, \
            self._up_to_date(link, item_mapper.group_hashes(values))

    def _up_to_date(self, link, hashes):
        """A note when the record is in Xero already as it is in Odoo (sending writes nothing)."""
        if link.state == "synced" and link._xero_id() and (link.odoo_hashes or {}) == hashes:
            return self.env._("In Xero already, unchanged: sending writes nothing.")
        return False

    def _partner_line(self, check, partner):
        _xero_id, payload, note = self._contact(check, partner)
        return self._line("partner", partner, payload, check.partner(partner), note=note)

    def _product_line(self, check, product):
        _xero_id, _code, payload, note = self._item(check, product)
        return self._line("product", product, payload, check.product(product), note=note)

    def _order_line(self, check, order):
        dependencies = []
        contact_id = None
        customer = order_customer(order)
        if customer:
            contact_id, contact, _note = self._contact(check, customer)
            if not contact_id:
                dependencies.append(self.env._("Customer %(name)s is created in Xero first: %(json)s",
                                      name=customer.display_name, json=json.dumps(contact, ensure_ascii=False)))
        codes = {}
        for product in order.order_line.product_id:
            item_id, codes[product.id], item, _note = self._item(check, product)
            if not item_id:
                dependencies.append(self.env._("Product %(name)s is created in Xero first, as item %(code)s: %(json)s",
                                      name=product.display_name, code=codes[product.id],
                                      json=json.dumps(item, ensure_ascii=False)))
        values = order_values(order, check.mapping, contact_id or self.env._("(the new contact's ContactID)"), codes)
        kind = options(self.env)["document"]
        build = invoice_mapper.to_quote if kind == "quote" else invoice_mapper.to_invoice
        problems = check.order(order) + [
            {"level": BLOCK, "record": order, "field": field, "message": engine_messages.problem(
                self.env, order.display_name, invoice_label(self.env, field), code, params)}
            for field, code, params in invoice_mapper.problems(values, kind=kind)]
        return self._line("order", order, build(values), problems, dependencies)

    # -- send: exactly the previewed records ------------------------------------------------
    def action_send(self):
        self.ensure_one()
        if self.state != "preview":
            self.action_preview()
        connection = self.connection_id
        short_code = connection._xero_short_code()
        for kind, model, link_model in (("partner", "res.partner", "xero.partner.link"),
                                        ("product", "product.product", "xero.product.link")):
            lines = self.line_ids.filtered(lambda line: line.kind == kind)
            for line in lines.filtered("blocked"):
                line.result = self.env._("Not sent: fix the problems above first.")
            todo = lines.filtered(lambda line: not line.blocked)
            if not todo:
                continue
            records = self.env[model].browse(todo.mapped("res_id"))
            if kind == "partner":
                records = records.commercial_partner_id
            found = self.env[link_model].sudo()._push_now(records, connection)
            for line in todo:
                record = self.env[model].browse(line.res_id)
                link = found.get(record.commercial_partner_id.id if kind == "partner" else record.id)
                line.write(self._result(kind, link, short_code))
        self._send_orders(short_code)
        self.state = "sent"
        return self._open()

    def _send_orders(self, short_code):
        """The orders go as Send to Xero sends them (their customers and products first)."""
        lines = self.line_ids.filtered(lambda line: line.kind == "order")
        for line in lines.filtered("blocked"):
            line.result = self.env._("Not sent: fix the problems above first.")
        todo = lines.filtered(lambda line: not line.blocked)
        if not todo:
            return
        orders = self.env["sale.order"].browse(todo.mapped("res_id"))
        send.send(orders)
        for line in todo:
            order = orders.browse(line.res_id)
            if order.xero_sync_state == "sent":
                line.write({"result": self.env._("In Xero."), "xero_url": order.xero_url})
            elif order.xero_sync_state == "pending":
                line.result = self.env._("Being sent by the scheduled sync in a few minutes.")
            elif order.xero_sync_state == "error":
                line.result = order.xero_error
            else:
                line.result = order_messages.wrong_state(self.env, order.display_name, order.state)

    def _result(self, kind, link, short_code):
        if not link:
            return {"result": self.env._("Not sent.")}
        if link.state == "synced" and link._xero_id():
            url = links.contact(short_code, link._xero_id()) if kind == "partner" else links.items(short_code)
            return {"result": self.env._("In Xero."), "xero_url": url}
        if link.state == "pending":
            return {"result": self.env._(
                "Being sent by the scheduled sync right now; it shows in the list of Xero links.")}
        return {"result": link.error or self.env._("Not sent.")}


class XeroTestRunLine(models.TransientModel):
    _name = "xero.test.run.line"
    _description = "Xero test run record"
    _order = "id"

    run_id = fields.Many2one("xero.test.run", required=True, ondelete="cascade")
    kind = fields.Selection(KINDS, required=True)
    res_model = fields.Char(required=True)
    res_id = fields.Integer(required=True)
    name = fields.Char("Record")
    payload = fields.Text("Sent to Xero")
    dependencies = fields.Text("Created first")
    problems = fields.Text()
    blocked = fields.Boolean()
    status = fields.Selection([("ready", "Ready"), ("warn", "Ready, with warnings"), ("block", "Stopped")])
    result = fields.Text()
    note = fields.Char()
    xero_url = fields.Char("Open in Xero")
