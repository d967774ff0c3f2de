"""The health check of a connection: one report per run, one line per finding.

The checks themselves are ``sync/health``; here they are run (a button on the connection, a
monthly scheduled action), kept as a report with a readable summary, and sent to the Xero
administrators. Each finding links to what it is about and, where one exists, offers its fix:
Resync (Odoo's version sent again, the link's own Resync) or a read of Xero's version again.
"""
# Small files with one role each: this one extends the connection too, on purpose.
# pylint: disable=consider-merging-classes-inherited
import ast

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..sync.engine import pull, registry
from ..sync.health import findings, messages, run as health
from ..tools import side_cursor
from .xero_connection import ADMIN

STATES = [("healthy", "Healthy"), ("attention", "Needs attention"), ("incomplete", "Not fully checked")]
CATEGORIES = [("duplicates", "Possible duplicates in Xero"), ("shared_contact", "Customers sharing a contact"),
              ("drift", "Differs from Xero"), ("errors", "Records in error"), ("quota", "Xero calls"),
              ("connection", "Connection"), ("webhook", "Webhook")]
SEVERITIES = [(findings.WARNING, "Needs attention"), (findings.INFO, "For information")]
FIXES = [(findings.RESYNC, "Resync"), (findings.REFRESH, "Read again from Xero"), (findings.OPEN, "Open")]


class XeroHealthReport(models.Model):
    _name = "xero.health.report"
    _description = "Xero health check"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True)
    connection_id = fields.Many2one("xero.connection", required=True, readonly=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    date = fields.Datetime("Checked on", required=True, readonly=True, default=fields.Datetime.now)
    state = fields.Selection(STATES, "Result", required=True, readonly=True, default="healthy")
    summary = fields.Text(readonly=True)
    finding_ids = fields.One2many("xero.health.finding", "report_id", "Findings", readonly=True)
    finding_count = fields.Integer("Number of findings", compute="_compute_finding_count")

    @api.depends("finding_ids")
    def _compute_finding_count(self):
        for report in self:
            report.finding_count = len(report.finding_ids)

    # -- running a check ------------------------------------------------------------------------
    @api.model
    def _check(self, connection):
        """Check ``connection`` now; returns the report, sent to the Xero administrators."""
        result = health.check(connection)
        env = self.env
        report = self.sudo().create({
            "name": messages.report_name(env, connection.sudo().display_name,
                                         messages.day(env, fields.Date.context_today(self))),
            "connection_id": connection.id, "state": result.state(), "summary": result.summary(),
            "finding_ids": [Command.create(dict(finding.vals(), sequence=index))
                            for index, finding in enumerate(sorted(
                                result.findings, key=lambda f: f.severity != findings.WARNING))],
        })
        report._send_to_admins()
        return report

    def _send_to_admins(self):
        """The summary, posted on the report to the Xero administrators (active internal users) of
        the report's company."""
        admins = self.env.ref(ADMIN).users.filtered(lambda user: user.active and not user.share)
        for report in self:
            # Only those who may see the company's Xero data: a report names its customers.
            readers = admins.filtered(lambda user, company=report.company_id: company in user.company_ids)
            body = Markup("<br/>").join(report.summary.split("\n"))
            report.message_post(body=body, subject=report.name, partner_ids=readers.partner_id.ids,
                                message_type="comment", subtype_xmlid="mail.mt_note")

    @api.model
    def _cron_health_check(self):
        """The monthly check of every connected organisation, each kept as soon as it is done."""
        connections = self.env["xero.sync.state"]._connected()
        done = 0
        for connection in connections:
            self._check(connection)
            done += 1
            side_cursor.commit(self.env)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(connections) - done)
        return done


class XeroHealthFinding(models.Model):
    _name = "xero.health.finding"
    _description = "Xero health check finding"
    _order = "report_id, sequence, id"

    report_id = fields.Many2one("xero.health.report", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    connection_id = fields.Many2one(related="report_id.connection_id")
    sequence = fields.Integer()
    category = fields.Selection(CATEGORIES, required=True)
    severity = fields.Selection(SEVERITIES, required=True, default=findings.WARNING)
    message = fields.Text(required=True)
    # What it is about: one record, or several of a model (``domain``), and where it is in Xero.
    res_model = fields.Char("Model", index=True)
    res_id = fields.Many2oneReference("Record id", model_field="res_model")
    record_name = fields.Char("Record")
    domain = fields.Char()
    xero_url = fields.Char("In Xero")
    # The fix: the link it works on.
    fix = fields.Selection(FIXES)
    link_model = fields.Char()
    link_id = fields.Integer()
    fixed = fields.Boolean(help="The fix was applied; the next check tells whether it worked.")

    def _link(self):
        self.ensure_one()
        if not self.link_model or not self.link_id or self.link_model not in self.env:
            return None
        link = self.env[self.link_model].browse(self.link_id).exists()
        return link or None

    def action_open(self):
        """What the finding is about: its records in Odoo, else its record in Xero."""
        self.ensure_one()
        if self.res_model in self.env and (self.domain or self.res_id):
            action = {"type": "ir.actions.act_window", "res_model": self.res_model, "name": self.record_name
                      or self.env["ir.model"]._get(self.res_model).name}
            if self.domain:
                return dict(action, domain=ast.literal_eval(self.domain), view_mode="list,form",
                            views=[(False, "list"), (False, "form")])
            if self.env[self.res_model].browse(self.res_id).exists():
                return dict(action, res_id=self.res_id, view_mode="form", views=[(False, "form")])
        if self.xero_url:
            return {"type": "ir.actions.act_url", "url": self.xero_url, "target": "new"}
        raise UserError(self.env._("What this finding was about no longer exists."))

    def action_fix(self):
        """Resync the record (its link's own Resync) or read it again from Xero; otherwise open it."""
        self.ensure_one()
        if self.fix == findings.OPEN or not self.fix:
            return self.action_open()
        link = self._link()
        if link is None:
            raise UserError(self.env._("This record is not linked to Xero any more: nothing to fix here."))
        if self.fix == findings.RESYNC:
            result = link.action_resync()
        else:
            result = self._read_again(link)
        # Settled as far as Odoo can tell (a Resync that Xero refused says why, on the link).
        self.fixed = link.state != "error"
        return result

    def _read_again(self, link):
        """The record as Xero has it now, through the engine's pull by ids: the link learns Xero's
        facts and the conflict rules settle what differs."""
        self.check_access("write")
        link = link.sudo()
        sync = registry.get(link._xero_object)(link.connection_id)
        pull.pull_ids(sync, [link._xero_id()])
        if link.state == "error":
            return {"type": "ir.actions.client", "tag": "display_notification", "params": {
                "title": self.env._("Read from Xero"), "message": link.error, "type": "warning",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Read from Xero"), "type": "success",
            "message": self.env._("%(record)s now shows what Xero has.", record=self.record_name),
            "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}


class XeroConnection(models.Model):
    _inherit = "xero.connection"

    def action_health_check(self):
        """Check the organisation now and open the report."""
        self.ensure_one()
        if not self.env.user.has_group(ADMIN):
            raise AccessError(self.env._("Only a Xero administrator may check the connection's health."))
        report = self.env["xero.health.report"]._check(self)
        return {"type": "ir.actions.act_window", "res_model": "xero.health.report", "res_id": report.id,
                "view_mode": "form", "views": [(False, "form")], "name": report.name}
