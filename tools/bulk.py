"""Creating a page of records at once: what Odoo's ``create`` would do again for each of them,
done once for the lot.

``insert``: rows of one of the sync's own bookkeeping models (links, log rows) in one INSERT.
``model.create`` of a page's thousand links or log rows costs more than the rest of their work:
default values looked up again for every row, a Python pass per row and field to fill the
cache, rows sent 100 at a time, then an UPDATE for the related stored fields it computes
afterwards. These models have no Python on create (no override, no inverse, no constraint),
so the same rows can be written at once: defaults looked up once, every value converted by its
field as ``create`` converts it, the log columns set as ``create`` sets them.

``same_defaults`` and ``no_image_resizes``: for Odoo's own ``create`` of the many partners or
products a page of the pull brings.
"""
import contextlib
import contextvars
import copy

import psycopg2.extensions

from odoo import fields

LOG_ACCESS = ("create_uid", "create_date", "write_uid", "write_date")


def insert(model, vals_list):
    """Insert ``vals_list`` as ``model.create(vals_list)`` would store them; returns the records.

    Every stored computed field must be given (a related one included): nothing is computed
    here, and a field left out would stay empty where ``create`` would compute it."""
    if not vals_list:
        return model.browse()
    env = model.env
    model.check_access("create")
    given = set().union(*vals_list)
    unknown = given - set(model._fields)
    if unknown:
        raise ValueError("Invalid fields %s on model %r" % (sorted(unknown), model._name))
    stored = [name for name, field in model._fields.items()
              if field.store and field.column_type and name not in LOG_ACCESS and name != "id"]
    missing = [name for name in stored if name not in given]
    computed = [name for name in missing if model._fields[name].compute]
    if computed:
        raise ValueError("insert() of %s needs the computed fields %s" % (model._name, computed))
    defaults = model.default_get(missing) if missing else {}
    names = sorted(name for name in stored if name in given or name in defaults)
    fields_ = [model._fields[name] for name in names]
    default = psycopg2.extensions.AsIs("DEFAULT")
    # Rows are quoted by psycopg2's C code (cursor.mogrify), a thousand at a time: a tuple passed
    # as a query parameter goes through its Python adapter, slower than the INSERT itself.
    access = env.cr.mogrify(", %s, %s, %s, %s)", [env.uid, env.cr.now(), env.uid, env.cr.now()]).decode()
    row_sql = "(" + ", ".join(["%s"] * len(names)) + access
    head = 'INSERT INTO "%s" (%s) VALUES ' % (model._table, ", ".join('"%s"' % n for n in names + list(LOG_ACCESS)))
    ids = []
    for start in range(0, len(vals_list), 1000):
        params, chunk = [], vals_list[start:start + 1000]
        for vals in chunk:
            values = dict(defaults, **vals) if defaults else vals
            # As create() does: a field it was given no value for is left to the column's DEFAULT.
            params += [field.convert_to_column_insert(values[field.name], model, values) if field.name in values
                       else default for field in fields_]
        rows = env.cr.mogrify(", ".join([row_sql] * len(chunk)), params).decode()
        # A plain string without parameters: psycopg2 leaves the quoted values as they are.
        env.cr.execute(head + rows + ' RETURNING "id"')
        ids.extend(row[0] for row in env.cr.fetchall())
    # one2many caches on the other side (a partner's links...) no longer hold every record
    for name in names:
        field = model._fields[name]
        if field.type == "many2one":
            for inverse in model.pool.field_inverses[field]:
                env[inverse.model_name].invalidate_model([inverse.name])
    return model.browse(ids)


# Inside ``same_defaults()``: {(id of environment, field names): (environment, default values)}.
DEFAULTS = contextvars.ContextVar("xero_connector_defaults", default=None)


@contextlib.contextmanager
def same_defaults():
    """Within one ``create`` of many records, Odoo asks ``default_get`` again for every record,
    with the same field names: the models whose ``default_get`` goes through ``default_get``
    below (partners, products) answer it once per environment and list of names meanwhile."""
    token = DEFAULTS.set({})
    try:
        yield
    finally:
        DEFAULTS.reset(token)


def default_get(model, fields_list, compute):
    """``compute(fields_list)`` (the model's ``default_get``), remembered inside ``same_defaults``."""
    memo = DEFAULTS.get()
    if memo is None:
        return compute(fields_list)
    key = (model._name, id(model.env), tuple(fields_list))
    if key not in memo:
        memo[key] = (model.env, compute(fields_list))  # the env is kept: its id stays its own
    return copy.deepcopy(memo[key][1])  # the caller adds to it, and may change what it holds


def no_image_resizes(records, vals_list):
    """A record created without an image has nothing to resize: the stored copies of its image
    (image_1024... of image_1920, also those of the record it inherits, a product's template)
    would be computed as empty, for a cache that already holds them empty, and no attachment
    written. Taken off the recompute queue (about a tenth of a page's flush: each is assigned
    record by record)."""
    for model_records in [records] + [records[field] for field in records._inherits.values()]:
        for field in model_records._fields.values():
            source = model_records._fields.get(field.related) if isinstance(field.related, str) else None
            if isinstance(field, fields.Image) and field.store and isinstance(source, fields.Image):
                blank = model_records.browse([r.id for r, vals in zip(model_records, vals_list)
                                              if not vals.get(source.name)])
                if blank:
                    records.env.remove_to_compute(field, blank)
