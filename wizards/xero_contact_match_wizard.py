"""Review of a customer that may already be in Xero: link it to a proposed contact, to another one
found by a live search, or create a new contact (only if its name is free in Xero)."""
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sync.contacts import match as contact_match
from ..sync.engine import push
from ..xero import where
from ..xero.errors import XeroError

SEARCH_LIMIT = 20


class XeroContactMatchWizard(models.TransientModel):
    _name = "xero.contact.match.wizard"
    _description = "Review a Xero Contact Match"

    link_id = fields.Many2one("xero.partner.link", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="link_id.partner_id")
    error = fields.Text(related="link_id.error")
    line_ids = fields.One2many("xero.contact.match.wizard.line", "wizard_id", string="Xero contacts")
    line_id = fields.Many2one("xero.contact.match.wizard.line", string="Link to",
                              domain="[('wizard_id', '=', id)]")
    search_term = fields.Char("Search Xero", help="Part of a name, an e-mail address or a contact number.")

    @api.model
    def _open_for(self, link):
        link.check_access("read")
        wizard = self.create({"link_id": link.id, "line_ids": [(0, 0, {
            "xero_contact_id": m.xero_contact_id, "name": m.xero_name, "email": m.xero_email,
            "number": m.xero_number, "tax_number": m.xero_tax_number, "evidence": m.evidence,
        }) for m in link.sudo().match_ids]})
        wizard.line_id = wizard.line_ids[:1]
        return wizard._reopen()

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new", "name": self.env._("Review Xero match")}

    def _connection(self):
        return self.link_id.sudo().connection_id

    def action_search(self):
        """Read matching contacts from Xero now (not from the proposals)."""
        self.ensure_one()
        term = (self.search_term or "").strip()
        if not term:
            raise UserError(self.env._("Type part of a name, an e-mail address or a contact number."))
        quoted = where.quote(term.casefold())
        clause = ('ContactStatus=="ACTIVE" AND (Name.ToLower().Contains(%s) OR EmailAddress.ToLower().Contains(%s) '
                  'OR %s)' % (quoted, quoted, where.equals("ContactNumber", term)))
        try:
            with self._connection()._xero_session(interactive=True) as client:
                found = []
                for contact in client.iter_records("Contacts", where=clause):
                    found.append(contact)
                    if len(found) >= SEARCH_LIMIT:
                        break
        except XeroError as exc:
            raise UserError(self.env._("Xero could not be searched: %s", exc)) from exc
        self.line_ids.filtered(lambda line: not line.evidence).unlink()
        known = set(self.line_ids.mapped("xero_contact_id"))
        self.write({"line_ids": [(0, 0, {
            "xero_contact_id": c["ContactID"], "name": c.get("Name"), "email": c.get("EmailAddress"),
            "number": c.get("ContactNumber"), "tax_number": c.get("TaxNumber"),
        }) for c in found if c["ContactID"] not in known]})
        if not found:
            self.line_id = False
        return self._reopen()

    def action_link(self):
        """Link the partner to the chosen Xero contact, then merge and send at once."""
        self.ensure_one()
        if not self.line_id:
            raise UserError(self.env._("Choose the Xero contact to link %s to.", self.partner_id.display_name))
        link = self.link_id.sudo()
        other = link.search([("connection_id", "=", link.connection_id.id),
                             ("xero_contact_id", "=ilike", self.line_id.xero_contact_id), ("id", "!=", link.id)])
        if other:
            raise UserError(self.env._(
                "Xero contact %(contact)s is already linked to partner %(partner)s. Merge the two partners in Odoo, "
                "or link another contact.", contact=self.line_id.name, partner=other.partner_id.display_name))
        link.match_ids.unlink()
        link.bind(self.line_id.xero_contact_id)
        link.mark_pending({"create_new": False})
        return self._send(link)

    def action_create(self):
        """Create a new Xero contact for the partner, if no active contact holds its name."""
        self.ensure_one()
        link = self.link_id.sudo()
        name = link.partner_id.commercial_partner_id.name
        try:
            with self._connection()._xero_session(interactive=True) as client:
                holder = contact_match.holder_of_name(client, name)
        except XeroError as exc:
            raise UserError(self.env._("Xero could not be searched: %s", exc)) from exc
        if holder:
            raise UserError(self.env._(
                "Xero already has an active contact named \"%(name)s\"; Xero names are unique. Link to it, or rename "
                "partner %(partner)s in Odoo first.", name=holder.get("Name"), partner=link.partner_id.display_name))
        link.match_ids.unlink()
        link.bind(False)
        link.mark_pending({"create_new": True})
        return self._send(link)

    def _send(self, link):
        push.push_links(link, interactive=True)
        message = (self.env._("%s is in sync with Xero.", link.partner_id.display_name) if link.state == "synced"
                   else link.error or self.env._("%s will be sent to Xero shortly.", link.partner_id.display_name))
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Xero"), "message": message,
            "type": "success" if link.state == "synced" else "warning",
            "next": {"type": "ir.actions.act_window_close"}}}


class XeroContactMatchWizardLine(models.TransientModel):
    _name = "xero.contact.match.wizard.line"
    _description = "Xero Contact Candidate"
    _rec_name = "name"

    wizard_id = fields.Many2one("xero.contact.match.wizard", required=True, ondelete="cascade")
    xero_contact_id = fields.Char("Xero ContactID", required=True)
    name = fields.Char()
    email = fields.Char("E-mail")
    number = fields.Char("Contact number")
    tax_number = fields.Char("Tax number")
    evidence = fields.Text()

    @api.depends("name", "email", "number")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " · ".join(p for p in (line.name, line.email, line.number) if p)
