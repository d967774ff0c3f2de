"""Partners for a page of contacts, created at once.

Odoo's ``create`` of many partners does again for each of them what can be done once for the
lot: default values, the salesperson's precompute (a temporary record per partner), and, right
after inserting each child (a contact person, an invoice address), two UPDATEs of the fields it
takes from its parent (``_fields_sync``). Here the defaults are computed once, the salesperson
and the synced fields go into the values of the one INSERT, and the rest of base's per-partner
work runs as base runs it. Each shortcut applies only while the method it stands for is
base's own (no module overrides it); otherwise Odoo's plain ``create`` is used. The partners
stored are the same as a plain ``create``'s (compared on whole-table dumps).
"""
from odoo import Command, models

from ...tools import bulk

BASE_PARTNER = "odoo.addons.base.models.res_partner"
FIELDS_SYNC = ("_fields_sync", "_commercial_sync_from_company", "_company_dependent_commercial_sync",
               "_commercial_sync_to_children", "_update_fields_values", "onchange_parent_id", "update_address",
               "_children_sync", "_handle_first_contact_creation", "_onchange_parent_id_for_lang",
               "_compute_commercial_partner")


def create_partners(Partner, vals_list):
    """``Partner.create(vals_list)``, page-wise."""
    if len(vals_list) > 1:
        given = set().union(*vals_list)
        defaults = Partner.default_get([name for name in Partner._fields if name not in given])
        vals_list = [dict({k: list(v) if isinstance(v, list) else v for k, v in defaults.items()}, **vals)
                     for vals in vals_list]
    _precompute_user_id(Partner, vals_list)
    if _base_fields_sync(Partner):
        others = _presync(Partner, vals_list)
        with bulk.same_defaults():
            partners = Partner.with_context(_partners_skip_fields_sync=True).create(vals_list)
        partners = partners.with_env(Partner.env)
        _postsync(partners, vals_list, others)
    else:
        with bulk.same_defaults():
            partners = Partner.create(vals_list)
    bulk.no_image_resizes(partners, vals_list)
    return partners


def _precompute_user_id(Partner, vals_list):
    """The salesperson, as base's ``_compute_user_id`` would precompute it: a person under a
    parent takes the parent's, anyone else has none. Left to Odoo if another module computes
    it, or precomputes another field."""
    field = Partner._fields["user_id"]
    if field.compute != "_compute_user_id" or \
            type(Partner)._compute_user_id.__module__ != BASE_PARTNER or \
            any(f.precompute for name, f in Partner._fields.items() if name != "user_id") or \
            any("company_type" in vals for vals in vals_list):
        return
    parents = Partner.browse({vals["parent_id"] for vals in vals_list if vals.get("parent_id")})
    users = {parent.id: parent.user_id.id for parent in parents}
    for vals in vals_list:
        if "user_id" not in vals:
            person = not vals.get("is_company")
            vals["user_id"] = (person and users.get(vals.get("parent_id"))) or False


def _base_fields_sync(Partner):
    """Whether what res.partner's ``create`` does to each new partner after inserting it (its
    ``_fields_sync``...) is base's own, which ``_presync``/``_postsync`` do for a whole page."""
    cls = type(Partner)
    return all(getattr(cls, name).__module__ == BASE_PARTNER for name in FIELDS_SYNC)


def _presync(Partner, vals_list):
    """What base's ``create`` would write on each new child right after inserting it, put in
    its values instead (one INSERT instead of two UPDATEs a child): the commercial fields of
    its commercial entity (``_commercial_sync_from_company``) and, for a contact, its parent's
    address when the parent has one (``onchange_parent_id``). They override the given values,
    as those writes would. Returns the other companies (their company-dependent commercial
    fields are still written after the create, as base does)."""
    parents = Partner.sudo().browse({vals["parent_id"] for vals in vals_list if vals.get("parent_id")})
    if not parents:
        return Partner.env["res.company"]
    commercial_fields, address_fields = Partner._commercial_fields(), Partner._address_fields()
    commercial = {parent.id: parent.commercial_partner_id._update_fields_values(commercial_fields)
                  for parent in parents}
    addresses = {}
    for parent in parents:
        if any(parent[name] for name in address_fields):
            addresses[parent.id] = {name: parent[name].id if isinstance(parent[name], models.BaseModel)
                                    else parent[name] for name in address_fields}
    default_type = Partner.default_get(["type"]).get("type")
    for vals in vals_list:
        parent_id = vals.get("parent_id")
        if not parent_id:
            continue
        synced = {}
        if not vals.get("is_company"):  # its commercial entity is its parent's, not itself
            synced.update(commercial[parent_id])
        if vals.get("type", default_type) == "contact" and parent_id in addresses:
            synced.update(addresses[parent_id])
        for name, value in synced.items():
            # A write leaves a column the record holds empty alone when the value is empty too.
            if name in vals or not _empty(value):
                vals[name] = list(value) if isinstance(value, list) else value
    others = Partner.env["res.company"].sudo().search([]) - Partner.env.company
    return others if Partner._company_dependent_commercial_fields() else others.browse()


def _empty(value):
    return not value or (isinstance(value, list) and all(c[0] == Command.SET and not c[2] for c in value))


def _postsync(partners, vals_list, others):
    """The rest of base's ``create`` for each new partner (``_presync`` did the writes)."""
    synced = partners.browse([p.id for p, vals in zip(partners, vals_list)
                              if vals.get("parent_id") and p.commercial_partner_id != p])
    if others and synced:
        for partner in synced.sudo():  # _company_dependent_commercial_sync, one company at a time
            partner._company_dependent_commercial_sync()
    for partner, vals in zip(partners, vals_list):
        if vals.get("child_ids"):  # a partner just created has no children but those given with it
            partner._children_sync(vals)
        if "lang" not in vals and partner.parent_id:
            partner._onchange_parent_id_for_lang()
        if partner.parent_id:  # without a parent it has nothing to do
            partner._handle_first_contact_creation()
