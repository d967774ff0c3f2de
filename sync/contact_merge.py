"""Bringing one Odoo partner and one Xero contact together, group by group.

Used by the pull (a contact changed in Xero), by the push before an update (the contact as Xero
has it now) and when a partner is first linked to an existing contact. For each field group it
asks ``xero.merge.resolve`` who wins, writes Xero's winning groups into Odoo (with the
``xero_pull`` context, the connection's id, so they do not bounce back to it but still reach
the partner's other organisations) and returns the groups Odoo must send.
The link's fingerprints are then moved to what each side now holds.
"""
import datetime
import logging

from psycopg2 import errors as pg_errors

from odoo import fields

from ..xero import merge
from ..xero.mappers import contact as mapper
from . import partner_values
from .partner_values import PartnerWriter, changed, contact_values

_logger = logging.getLogger(__name__)

CONFLICT_PARAM = "xero_connector.conflict_%s"
CONFIGURABLE = ("identity", "addresses", "phones", "terms")
# Status has no "empty": an archived contact first matched is settled by the rule (newest).
EMPTY = {group: h for group, h in mapper.group_hashes({}).items() if group != "status"}
PULL_CONTEXT = {"xero_pull": True, "tracking_disable": True, "mail_create_nolog": True,
                "mail_create_nosubscribe": True, "mail_notrack": True}


# A collision with a concurrent transaction: the cron runner retries the whole transaction, so
# these are raised, never recorded as a partner's error (nor passed by the pull's watermark).
TRANSIENT = (pg_errors.SerializationFailure, pg_errors.LockNotAvailable, pg_errors.DeadlockDetected)


def xero_time(contact):
    """UpdatedDateUTC ('/Date(1700000000000+0000)/') as a naive UTC datetime, or None."""
    raw = (contact or {}).get("UpdatedDateUTC") or ""
    if raw.startswith("/Date(") and raw.endswith(")/"):
        digits = raw[6:-2].split("+")[0]
        if digits.lstrip("-").isdigit():
            return datetime.datetime.fromtimestamp(int(digits) / 1000.0, datetime.timezone.utc).replace(
                tzinfo=None)
    return None


def conflict_rules(env):
    get = env["ir.config_parameter"].sudo().get_param
    rules = {group: get(CONFLICT_PARAM % group) or merge.NEWEST for group in CONFIGURABLE}
    rules = {g: r if r in merge.RULES else merge.NEWEST for g, r in rules.items()}
    rules["status"] = merge.NEWEST
    return rules


class ContactRun:
    """One sync run for one connection: settings, lookups and the sync log rows it will write."""

    def __init__(self, connection):
        self.connection = connection.sudo()
        self.env = self.connection.env
        self.rules = conflict_rules(self.env)
        self.prefix = partner_values.number_prefix(self.env)
        self.now = fields.Datetime.now()
        self.log = []
        self._writer = None

    @property
    def writer(self):
        if self._writer is None:
            self._writer = PartnerWriter(self.env, self.connection)
        return self._writer

    @property
    def partners(self):
        # xero_pull names the connection the values come from: only its link is not marked pending.
        return self.env["res.partner"].with_context(dict(PULL_CONTEXT, xero_pull=self.connection.id)).with_company(
            self.connection.company_id)

    def create_partners(self, vals_list):
        """Partners in one ``create``, default values computed once for the lot: Odoo would
        otherwise compute every default again for each of a page's thousand partners."""
        Partner = self.partners
        if len(vals_list) > 1:
            given = set().union(*vals_list)
            defaults = Partner.default_get([name for name in Partner._fields if name not in given])
            vals_list = [dict({k: list(v) if isinstance(v, list) else v for k, v in defaults.items()}, **vals)
                         for vals in vals_list]
        return Partner.create(vals_list)

    def values(self, partners):
        return contact_values(partners, self.connection, self.prefix)

    def log_row(self, link, operation, result, message=None, direction="out", partner=None, xero_id=None):
        partner = partner or link.partner_id
        self.log.append({"direction": direction, "model": "res.partner", "res_id": partner.id,
                         "record_name": partner.display_name, "xero_id": xero_id or link.xero_contact_id,
                         "operation": operation, "result": result, "message": message})

    def flush_log(self):
        if self.log:
            self.env["xero.sync.log"]._log_records(self.connection, self.log)
            self.log = []

    # -- merging ------------------------------------------------------------------------------
    def merge(self, pairs, odoo_values=None):
        """``pairs``: [(link, contact dict)]. Applies Xero's winning groups to the partners and
        returns {link id: set of groups Odoo must send}. Link fingerprints are updated."""
        if not pairs:
            return {}
        links = self.env["xero.partner.link"].browse([link.id for link, _c in pairs])
        odoo_values = odoo_values or self.values(links.partner_id)
        plans = []
        for link, contact in pairs:
            xero_values = mapper.from_xero(contact)
            xero_hashes = mapper.group_hashes(xero_values)
            odoo_hashes = mapper.group_hashes(odoo_values[link.partner_id.id])
            base_odoo, base_xero = link.odoo_hashes or {}, link.xero_hashes or {}
            changed_at = link.odoo_changed or {}
            updated = xero_time(contact)
            decisions = {}
            for group in mapper.GROUPS:
                # Odoo's last change of the group; before any is recorded, the partner's.
                odoo_time = changed_at.get(group)
                odoo_time = fields.Datetime.to_datetime(odoo_time) if odoo_time else link.partner_id.write_date
                decisions[group] = merge.resolve(
                    odoo_hashes[group], xero_hashes[group], base_odoo.get(group), base_xero.get(group),
                    self.rules[group], odoo_time, updated, EMPTY.get(group))
            plans.append((link, contact, xero_values, xero_hashes, odoo_hashes, decisions))

        pulled, failed = self.apply([(link.partner_id, xero_values,
                                      {g for g, d in decisions.items() if d == merge.PULL})
                                     for link, _c, xero_values, _x, _o, decisions in plans])
        fresh = self.values(self.env["res.partner"].browse(pulled)) if pulled else {}
        to_push = {}
        for link, contact, xero_values, xero_hashes, odoo_hashes, decisions in plans:
            if link.partner_id.id in failed:
                link.write({"state": "error", "error": failed[link.partner_id.id]})
                self.log_row(link, "merge", "error", failed[link.partner_id.id], direction="in")
                continue
            if link.partner_id.id in fresh:
                odoo_hashes = mapper.group_hashes(fresh[link.partner_id.id])
            base_odoo = dict(link.odoo_hashes or {})
            for group, decision in decisions.items():
                if decision != merge.PUSH:
                    base_odoo[group] = odoo_hashes[group]
            push = {g for g, d in decisions.items() if d == merge.PUSH}
            link.write({"xero_contact_id": contact["ContactID"], "xero_hashes": xero_hashes,
                        "odoo_hashes": base_odoo, "xero_updated": xero_time(contact)})
            to_push[link.id] = push
        return to_push

    def apply(self, items):
        """Write Xero's values of the given groups into partners: [(partner, values, groups)].

        Returns (ids of partners changed, {partner id: error}). One savepoint for all; if Odoo
        refuses one partner (a VAT its country rejects...), each is redone alone so the others
        still go through and the refused one is left untouched."""
        items = [(p.with_env(self.partners.env), v, g) for p, v, g in items if g]
        if not items:
            return [], {}
        try:
            with self.env.cr.savepoint():
                return [p.id for p, v, g in items if self._apply_one(p, v, g)], {}
        except TRANSIENT:
            raise
        except Exception:  # noqa: BLE001 - each partner is retried alone below
            _logger.info("Xero contacts: a page failed as a whole; retrying partner by partner")
        written, failed = [], {}
        for partner, values, groups in items:
            try:
                with self.env.cr.savepoint():
                    if self._apply_one(partner.with_env(self.partners.env), values, groups):
                        written.append(partner.id)
            except TRANSIENT:
                raise
            except Exception as exc:  # noqa: BLE001 - reported on the link
                failed[partner.id] = self.env._("%(partner)s: Odoo refused Xero's values: %(error)s",
                                                partner=partner.display_name, error=exc)
        return written, failed

    def _apply_one(self, partner, values, groups):
        vals = changed(partner, self.writer.partner_vals(values, groups))
        kids = self.child_vals(partner, values, groups)
        if vals:
            partner.write(vals)
        self.write_children(kids)
        return bool(vals or kids)

    def child_vals(self, partner, values, groups, existing=True):
        """Contact persons and the postal address of a company, as [(child or None, vals)].
        Children are never deleted: a person removed in Xero stays in Odoo."""
        out = []
        kids = partner.child_ids if existing else self.env["res.partner"]
        if "identity" in groups and partner.is_company:
            people = []
            if values.get("first_name") or values.get("last_name"):
                people.append({"name": " ".join(p for p in (values.get("first_name"), values.get("last_name")) if p),
                               "email": values.get("email")})
            for person in values.get("persons") or []:
                name = " ".join(p for p in (person.get("first_name"), person.get("last_name")) if p)
                if name:
                    people.append({"name": name, "email": person.get("email")})
            for person in people:
                email = mapper.normalise_email(person["email"])
                same = kids.filtered(lambda c: c.name and (
                    (email and mapper.normalise_email(c.email) == email) or c.name.casefold() == person["name"].casefold()))
                if not same:
                    out.append((None, {"parent_id": partner.id, "type": "contact", "name": person["name"],
                                       "email": person["email"] or False}))
                elif person["email"] and not same[0].email:
                    out.append((same[0], {"email": person["email"]}))
        if "addresses" in groups:
            postal, street = values.get("postal_address"), values.get("street_address")
            if postal and mapper.group_hashes({"street_address": postal}, ["addresses"]) != \
                    mapper.group_hashes({"street_address": street}, ["addresses"]):
                vals = self.writer.address_vals(postal)
                invoice = kids.filtered(lambda c: c.type == "invoice" and c.active)[:1]
                if invoice:
                    vals = changed(invoice, vals)
                    if vals:
                        out.append((invoice, vals))
                else:
                    out.append((None, dict(vals, parent_id=partner.id, type="invoice")))
        return out

    def write_children(self, children):
        new = [vals for child, vals in children if child is None]
        for child, vals in children:
            if child is not None:
                child.with_env(self.partners.env).write(vals)
        if new:
            self.create_partners(new)

