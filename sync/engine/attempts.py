"""Creates in flight: which records were sent to Xero for a first create whose answer may never
have been kept.

Xero refuses a second contact of the same name or a second item of the same code, so those
objects recover from a lost answer by themselves (``SyncType.recover``). A second invoice for
the same order is not refused, and the Idempotency-Key only helps while the same batch is sent
again within 24 hours. So, for objects that ask for it (``SyncType.unsure_creates``), each
record is noted in a short transaction of its own, committed *before* its create is sent, and
the note is removed only once the run's transaction, holding the links' new Xero ids, has
committed. A note that outlives its run (a crash, a timeout, a rollback after Xero answered)
tells the next run to look for the record in Xero before creating it again
(``SyncType.match``). A note left behind by a removal that failed costs one lookup, never a
duplicate: only records with no Xero id yet are looked for.
"""
from odoo import fields

from ...tools.side_cursor import side_env

MODEL = "xero.sync.attempt"
_DELETE = "DELETE FROM xero_sync_attempt WHERE connection_id = %s AND object = %s AND res_id = ANY(%s)"


def note(sync, records):
    """Note ``records`` as about to be created in Xero, kept whatever this transaction becomes."""
    if not records:
        return
    with side_env(sync.env, "xero.connection", sync.connection.id) as env:
        env.cr.execute("""
            INSERT INTO xero_sync_attempt (connection_id, object, res_id, sent_at)
            SELECT %s, %s, unnest(%s::int[]), %s
                ON CONFLICT (connection_id, object, res_id) DO UPDATE SET sent_at = EXCLUDED.sent_at
        """, (sync.connection.id, sync.name, list(records.ids), fields.Datetime.now()))
        # Written in this very transaction (a connection not committed yet, a test): removed in it too.
        sync.attempts_local = env.cr is sync.env.cr or env.registry.in_test_mode()


def unsure(sync, records):
    """Ids of those of ``records`` whose earlier create may have reached Xero. Read as committed
    now, not as this transaction's snapshot: a worker that created one of them after this
    transaction began (and died before keeping it) has left its note since."""
    if not records:
        return set()
    with side_env(sync.env, "xero.connection", sync.connection.id) as env:
        env.cr.execute("SELECT res_id FROM xero_sync_attempt WHERE connection_id = %s AND object = %s "
                       "AND res_id = ANY(%s)", (sync.connection.id, sync.name, list(records.ids)))
        return {row[0] for row in env.cr.fetchall()}


def clear(sync, records):
    """Their outcome is known in this transaction: the notes go once it is committed (notes
    committed after this transaction began are invisible to it, and must outlive it if it fails)."""
    if not records:
        return
    params = (sync.connection.id, sync.name, list(records.ids))
    if getattr(sync, "attempts_local", True):
        sync.env.cr.execute(_DELETE, params)
        return
    registry = sync.env.registry

    def remove():
        with registry.cursor() as cr:
            cr.execute(_DELETE, params)

    sync.env.cr.postcommit.add(remove)
