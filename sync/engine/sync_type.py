"""What the engine asks of each synced object, and one run of it for one connection.

A ``SyncType`` subclass describes an object (customers ⇄ contacts, products ⇄ items...): its
link model, Odoo model, Xero collection and mapper (``xero/mappers``), and the few things only it
knows, as the hooks below. The engine (``push``, ``pull``, ``merge``, ``policy``) does the rest the
same way for every object. An instance is one run for one connection: it holds the settings read
once, the caches a page needs, and the sync log rows it will write.
"""

from datetime import timedelta

from odoo import fields

from ...tools import bulk, side_cursor
from ...xero import dates, kinds, merge as xero_merge
from . import merge, messages

# Values written into Odoo from Xero: not tracked in the chatter, and marked so that they do not
# bounce back to the connection they came from (``xero_pull`` is replaced by its id).
PULL_CONTEXT = {"xero_pull": True, "tracking_disable": True, "mail_create_nolog": True,
                "mail_create_nosubscribe": True, "mail_notrack": True}
# Xero's clock and Odoo's may differ: reading from a link's creation starts this much before it.
SENT_DRIFT = timedelta(minutes=5)


class SyncType:
    # -- what each object sets ------------------------------------------------------------------
    name = None  # registry key, and xero.sync.state's object
    label = None  # what people call the object in Odoo, plural ("Customers")
    sequence = 100  # dependency order (see registry.py)
    link_model = None  # e.g. "xero.partner.link"
    record_model = None  # e.g. "res.partner"
    kind = None  # Xero collection, e.g. "Contacts"
    mapper = None  # pure module: GROUPS, group_hashes, from_xero, to_xero, problems
    conflict_param = None  # "xero_connector.conflict_%s": the rule of a configurable group
    configurable_groups = ()  # groups whose conflict rule is a setting; the others: newest wins
    page_size = 1000  # Xero records merged and committed together by the pull
    push_batch = 1000  # links locked, sent and committed together by the scheduled push
    read_options = {}  # extra arguments of every read (e.g. include archived records)
    pull_options = {}  # extra arguments of the pull's reads only (e.g. the statuses worth reading)
    # Xero would not refuse a second create of the same record: creates are noted before they
    # are sent, and the object's ``match`` looks for those whose answer was lost (attempts.py).
    unsure_creates = False
    # Pulled by a scheduled action of its own rather than the engine's pull of every object.
    own_pull = False
    # The category of Xero's webhook events that name this object's records (CONTACT, INVOICE,
    # CREDITNOTE; None: Xero sends none, the scheduled pull alone reads them).
    webhook_category = None
    # A read-only copy of Xero records (no Odoo record, nothing sent): each page is handed to
    # ``keep_page`` instead of being merged through links; the push skips the object.
    mirror = False
    # Only the records Odoo sent matter (sales documents): what changed in Xero before this
    # connection's first link is never read (``sent_since``).
    sent_only = False

    def __init__(self, connection):
        self.connection = connection.sudo()
        self.env = self.connection.env
        self.now = fields.Datetime.now()
        self.log = []
        self._state = None
        # {Xero id: (record as read, its fingerprints)} of this page and the one before: the pull's
        # overlap re-reads the end of the last page, and a record equal to the one read then has
        # the same fingerprints without hashing it again.
        self._hashed, self._hashed_before = {}, {}
        self.rules = self._conflict_rules()
        self.group_of = {key: group for group, keys in self.mapper.GROUPS.items() for key in keys}
        # A group one side has nothing of, on a first link, takes the other side's values.
        self.empty = {group: h for group, h in self.mapper.group_hashes({}).items() if group != "status"}

    def __repr__(self):
        return "<%s sync of connection %s>" % (self.name, self.connection.id)

    @property
    def id_field(self):
        """Xero's id field of the collection (ContactID, ItemID...)."""
        return kinds.get(self.kind).id_field

    @property
    def links(self):
        return self.env[self.link_model].sudo()

    @property
    def records(self):
        """The Odoo model, as the pull writes it (see PULL_CONTEXT), in the connection's company."""
        context = dict(PULL_CONTEXT, xero_pull=self.connection.id)
        return self.env[self.record_model].sudo().with_context(**context).with_company(self.connection.company_id)

    @property
    def state(self):
        """This object's ``xero.sync.state`` row for the connection."""
        if self._state is None:
            self._state = self.env["xero.sync.state"]._for(self.connection, self.name)
        return self._state

    def _conflict_rules(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        rules = {group: xero_merge.NEWEST for group in self.mapper.GROUPS}
        for group in self.configurable_groups:
            rule = get(self.conflict_param % group)
            rules[group] = rule if rule in xero_merge.RULES else xero_merge.NEWEST
        return rules

    def xero_hashes(self, xero_record, values=None):
        """Fingerprints of a record as read from Xero (``values``: its ``mapper.from_xero``)."""
        key = xero_record.get(self.id_field)
        for known in (self._hashed, self._hashed_before):
            if key in known and known[key][0] == xero_record:
                return dict(known[key][1])
        hashes = self.mapper.group_hashes(self.mapper.from_xero(xero_record) if values is None else values)
        self._hashed[key] = (xero_record, hashes)
        return dict(hashes)

    def turn_page(self, xero_records):
        """A new page of the pull: returns those of its records that are not exactly as the last
        page read them (the overlap's re-reads are merged already)."""
        before = self._hashed
        self._hashed_before, self._hashed = before, {}
        return [r for r in xero_records
                if r.get(self.id_field) not in before or before[r.get(self.id_field)][0] != r]

    def sent_since(self):
        """A few minutes (the clocks' drift) before this connection's first link of the object,
        None when it has none yet: the oldest change worth reading when only the records Odoo
        sent matter (``sent_only``)."""
        self.env.cr.execute("SELECT min(create_date) FROM %s WHERE connection_id = %%s" % self.links._table,
                            (self.connection.id,))
        first = self.env.cr.fetchone()[0]
        return first - SENT_DRIFT if first else None

    def reconcile_unseen(self):
        """Xero ids to read by id once the reconciliation's list is read: the connection's links
        it did not show since the pass started (and not waiting for a person)."""
        links = self.links
        links.flush_model()
        self.env.cr.execute("""
            SELECT {xero_id} FROM {table}
             WHERE connection_id = %s AND coalesce({xero_id}, '') != '' AND needs_review IS NOT TRUE
               AND (reconciled_at IS NULL OR reconciled_at < %s)
             ORDER BY id""".format(table=links._table, xero_id=links._xero_id_field),
            (self.connection.id, self.state.reconcile_started_at))
        return [row[0] for row in self.env.cr.fetchall()]

    def reconcile_options(self):
        """The extra arguments of the reads of the weekly reconciliation, which reads every record
        worth having, whatever the watermark: as the pull reads them."""
        return dict(self.read_options, **self.pull_options)

    # -- hooks: which records, and their values -------------------------------------------------
    def start(self, client):
        """A push or a pull begins with this client: read once what the run needs from Xero."""

    def link_existing(self):
        """Once per connection: links for the records that existed before it was connected."""

    def before_push(self, records):
        """What these records reference is made sure of in Xero first (an order's customer and
        products), through those objects' own sync."""

    def values(self, records):
        """{record id: plain values of the mapper} for these Odoo records."""
        raise NotImplementedError

    def is_active(self, record):
        return record.active

    def changed_at(self, record):
        """When Odoo last changed ``record``, before the link knows of any change per group."""
        return record.write_date

    def link_values(self, xero_record):
        """What a link keeps of a Xero record besides its id and fingerprints (e.g. stock)."""
        return {}

    # -- hooks: the push ------------------------------------------------------------------------
    def match(self, client, links, values):
        """Before a first create: link ``links`` to the Xero records they already are. Returns the
        links now bound (sure matches); doubtful ones are left in review (``mark_review``)."""
        return self.links

    def follow(self, link, xero_record):
        """The Xero record to merge ``link`` with, given the one read by its id (None: not found).
        Returns None when the link cannot go on (the reason is written on it)."""
        if xero_record is None:
            link.mark_review(messages.gone(self.env, link._record().display_name))
            self.log_row(link, "read", "error", link.error)
        return xero_record

    def requeue_changed(self, batch=500):
        """The connection's mapping changed: records whose values now differ from what Xero was
        last sent go pending (only those groups count as changed), and records in error are
        tried again. Nothing is read from Xero here; returns how many went pending."""
        if self.mirror:
            return 0  # nothing is sent
        self.start(None)
        domain = [("connection_id", "=", self.connection.id), ("state", "in", ("synced", "error")),
                  ("needs_review", "=", False)] + self.requeue_domain()
        ids = self.links.search(domain).ids
        now = fields.Datetime.to_string(fields.Datetime.now())
        count = 0
        for start in range(0, len(ids), batch):
            links = self.links.browse(ids[start:start + batch])
            values = self.values(links.mapped(links._xero_record_field))
            for link in links:
                hashes = self.mapper.group_hashes(values[link._record().id])
                sent = link.odoo_hashes or {}
                groups = [group for group, value in hashes.items() if sent.get(group) != value]
                if groups or link.state == "error":
                    link.note_change({group: now for group in groups})
                    count += 1
        return count

    def waits(self, record):
        """True when ``record`` needs other records in Xero first that are still on their way
        (not refused): it is not sent now, and stays pending for the next run."""
        return False

    def requeue_domain(self):
        """Which links a changed mapping may send again, besides the engine's (a domain)."""
        return []

    def check(self, record):
        """Blocking problems of ``record`` beyond its values' own (``mapper.problems``): what the
        preflight finds in the mapping; a list of readable messages."""
        return []

    def payload(self, link, values, groups, current):
        """The Xero payload of one write; ``current``: the record as Xero has it now (updates)."""
        return self.mapper.to_xero(values, groups=groups, create=groups is None)

    def recover(self, client, link, values, result):
        """A refusal the object can resolve (the record exists in Xero already...): True if it did."""
        return False

    def field_label(self, field):
        """A readable label of a mapper field, for the messages of ``mapper.problems``."""
        return field

    def refusal_message(self, record, errors):
        return messages.refused(self.env, record.display_name, errors)

    # -- hooks: the pull ------------------------------------------------------------------------
    def keep_page(self, xero_records):
        """A mirror's page: write it; returns its newest UpdatedDateUTC."""
        raise NotImplementedError

    def adopt(self, xero_records):
        """Xero records of a page that belong to Odoo records not linked to them yet. Returns
        ([(link, xero record)], the others)."""
        return [], xero_records

    def write_values(self, record, values, groups):
        """Write Xero's values of ``groups`` into ``record``; True if anything changed."""
        raise NotImplementedError

    def new_record_vals(self, values):
        """The Odoo field values of a record new to Odoo, from Xero's (``mapper.from_xero``)."""
        raise NotImplementedError

    def create_all(self, vals_list):
        """The Odoo records of a page, in one ``create``."""
        return self.records.create(vals_list)

    def after_create(self, created):
        """What else records new to Odoo need, [(record, Xero record, values)], before they are linked."""

    def create_records(self, xero_records):
        """Odoo records and their synced links for Xero records new to Odoo, one ``create`` for
        the page (one by one if Odoo refuses one: the others still go in, the refused ones are
        logged and read again when they change in Xero). Archived ones are not imported."""
        read = [(r, self.mapper.from_xero(r)) for r in xero_records]
        read = [(r, v) for r, v in read if not v["archived"]]
        if not read:
            return
        xero_records, values = [r for r, _v in read], [v for _r, v in read]
        records, failed = merge.in_savepoints(self.env.cr, [self.new_record_vals(v) for v in values],
                                              self.create_all, self.records.create)
        for index, error in failed.items():
            xero_record = xero_records[index]
            self.log.append({"direction": "in", "model": self.record_model, "xero_id": xero_record[self.id_field],
                             "record_name": xero_record.get("Name"), "operation": "create", "result": "error",
                             "message": messages.could_not_create(self.env, xero_record.get("Name"), error)})
        kept = [i for i in range(len(xero_records)) if i not in failed]
        created = list(zip(records, [xero_records[i] for i in kept], [values[i] for i in kept]))
        self.after_create(created)
        odoo_values = self.values(self.env[self.record_model].browse([r.id for r, _x, _v in created]))
        links = bulk.insert(self.links, [dict(self.link_values(xero_record), **{
            self.links._xero_record_field: record.id, "connection_id": self.connection.id,
            "company_id": self.connection.company_id.id, self.links._xero_id_field: xero_record[self.id_field],
            "state": "synced", "last_sync": self.now, "xero_updated": dates.updated(xero_record),
            "odoo_hashes": self.mapper.group_hashes(odoo_values[record.id]),
            "xero_hashes": self.xero_hashes(xero_record, value),
        }) for record, xero_record, value in created])
        for link, (record, xero_record, _v) in zip(links, created):
            self.log_row(link, "create", "success", direction="in", record=record,
                         xero_id=xero_record[self.id_field], name=record.name)

    # -- the sync log ---------------------------------------------------------------------------
    def log_row(self, link, operation, result, message=None, direction="out", record=None, xero_id=None,
                name=None):
        """A sync log row about ``link``'s record (``name``: its name when known already)."""
        record = record or link._record()
        self.log.append({"direction": direction, "model": self.record_model, "res_id": record.id,
                         "record_name": name or record.display_name, "xero_id": xero_id or (link and link._xero_id()),
                         "operation": operation, "result": result, "message": message})

    def log_connection(self, operation, message):
        self.log.append({"direction": "out", "model": "xero.connection", "res_id": self.connection.id,
                         "record_name": self.connection.display_name, "operation": operation,
                         "result": "error", "message": message})

    def commit(self):
        """Keep what the run did so far: a page of the pull, a batch of the push, the links of
        the records that existed before the connection (not inside a test's transaction)."""
        side_cursor.commit(self.env)

    def flush_log(self, with_transaction=False):
        """Write the log rows gathered so far (see ``xero.sync.log._log_records``)."""
        if self.log:
            self.env["xero.sync.log"]._log_records(self.connection, self.log, with_transaction)
            self.log = []
