"""Bringing Odoo records and Xero records together, group by group.

Used by the pull (a record changed in Xero), by the push before an update (the record as Xero
has it now) and when an Odoo record is first linked to an existing Xero record. For each field
group it asks ``xero.merge.resolve`` who wins, writes Xero's winning groups into Odoo (marked
with the connection, so they do not bounce back to it but still reach the record's other
organisations) and returns the groups Odoo must send. The link's fingerprints then move to what
each side holds.
"""
import logging

from odoo import fields

from ...xero import dates, merge as xero_merge
from . import messages
from .policy import COLLISIONS

_logger = logging.getLogger(__name__)


def changed(record, vals):
    """The subset of ``vals`` (field values to write on ``record``) that differs from what
    ``record`` holds, so an unchanged record is not written. x2many values are commands the
    caller built from a difference: always kept."""
    out = {}
    for name, value in vals.items():
        field = record._fields[name]
        current = record[name]
        if field.type == "many2one":
            current = current.id
        elif field.type in ("one2many", "many2many"):
            out[name] = value
            continue
        elif field.type == "float":
            if round(current or 0.0, 6) != round(value or 0.0, 6):
                out[name] = value
            continue
        if (current or False) != (value or False):
            out[name] = value
    return out


def in_savepoints(cr, items, do_all, do_one):
    """``do_all(items)`` in one savepoint; if Odoo refuses it, ``do_one(item)`` for each item in a
    savepoint of its own, so one bad record blocks no other. Returns (results, {index: error}):
    ``do_all``'s result, or the list of ``do_one``'s results of the items that went through."""
    try:
        with cr.savepoint():
            return do_all(items), {}
    except COLLISIONS:
        raise
    except Exception:  # noqa: BLE001 - each item is retried alone below
        _logger.info("Xero: a batch of %d failed as a whole; retrying one by one", len(items))
    results, failed = [], {}
    for index, item in enumerate(items):
        try:
            with cr.savepoint():
                results.append(do_one(item))
        except COLLISIONS:
            raise
        except Exception as exc:  # noqa: BLE001 - reported by the caller, on that record
            failed[index] = exc
    return results, failed


def merge(sync, pairs, odoo_values=None):
    """``pairs``: [(link, Xero record)]. Applies Xero's winning groups to the Odoo records and
    returns {link id: set of groups Odoo must send} (links Odoo refused Xero's values for are
    left out, in error). Link fingerprints are updated. ``odoo_values`` ({record id: values},
    computed when not given) is brought up to date with what Xero's groups changed, so a payload
    built from it afterwards carries no value the merge replaced."""
    if not pairs:
        return {}
    mapper = sync.mapper
    links = sync.links.browse([link.id for link, _x in pairs])
    if odoo_values is None:
        odoo_values = sync.values(links.mapped(links._xero_record_field))
    plans = []
    for link, xero_record in pairs:
        record = link._record()
        xero_values = mapper.from_xero(xero_record)
        xero_hashes = sync.xero_hashes(xero_record, xero_values)
        odoo_hashes = mapper.group_hashes(odoo_values[record.id])
        base_odoo, base_xero = link.odoo_hashes or {}, link.xero_hashes or {}
        changed_at = link.odoo_changed or {}
        updated = dates.updated(xero_record)
        decisions = {}
        for group in mapper.GROUPS:
            # Odoo's last change of the group; before any is recorded, the record's.
            odoo_time = changed_at.get(group)
            odoo_time = fields.Datetime.to_datetime(odoo_time) if odoo_time else sync.changed_at(record)
            decisions[group] = xero_merge.resolve(
                odoo_hashes[group], xero_hashes[group], base_odoo.get(group), base_xero.get(group),
                sync.rules[group], odoo_time, updated, sync.empty.get(group))
        plans.append((link, xero_record, xero_values, xero_hashes, odoo_hashes, decisions))

    pulled, failed = apply(sync, [(link._record(), xero_values,
                                   {g for g, d in decisions.items() if d == xero_merge.PULL})
                                  for link, _x, xero_values, _h, _o, decisions in plans])
    fresh = sync.values(sync.records.browse(pulled)) if pulled else {}
    odoo_values.update(fresh)
    to_push = {}
    for link, xero_record, _v, xero_hashes, odoo_hashes, decisions in plans:
        record_id = link._record().id
        if record_id in failed:
            link.mark_error(failed[record_id])
            sync.log_row(link, "merge", "error", failed[record_id], direction="in")
            continue
        if record_id in fresh:
            odoo_hashes = mapper.group_hashes(fresh[record_id])
        base_odoo = dict(link.odoo_hashes or {})
        for group, decision in decisions.items():
            if decision != xero_merge.PUSH:
                base_odoo[group] = odoo_hashes[group]
        link.write(dict(sync.link_values(xero_record), **{
            link._xero_id_field: xero_record[sync.id_field], "xero_hashes": xero_hashes,
            "odoo_hashes": base_odoo, "xero_updated": dates.updated(xero_record)}))
        to_push[link.id] = {g for g, d in decisions.items() if d == xero_merge.PUSH}
    return to_push


def apply(sync, items):
    """Write Xero's values of the given groups into Odoo records: [(record, values, groups)].
    Returns (ids of records changed, {record id: readable error})."""
    items = [(record.with_env(sync.records.env), values, groups) for record, values, groups in items if groups]
    if not items:
        return [], {}

    def one(item):
        record, values, groups = item
        return record.id if sync.write_values(record, values, groups) else None

    written, failed = in_savepoints(sync.env.cr, items, lambda all_items: [one(i) for i in all_items], one)
    return [i for i in written if i], {
        items[index][0].id: messages.could_not_write(sync.env, items[index][0].display_name, exc)
        for index, exc in failed.items()}
