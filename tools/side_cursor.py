"""Work that must be committed whatever happens to the current transaction.

Token renewals (a refresh token is single use: the new one must be saved before it is
used), quota counters shared between workers, and the log of failed calls are written in a
short transaction of their own, on a new cursor in READ COMMITTED so that, once a row lock
is granted, the row read is the one the previous holder committed.

A record created in the current, uncommitted transaction is invisible to a new cursor:
then the work stays in the current transaction, which is where that record lives.
"""
import contextlib
import threading

from odoo import api


@contextlib.contextmanager
def side_env(env, model=None, res_id=None):
    registry = env.registry
    if registry.in_test_mode():
        # HttpCase: every cursor is the test's own transaction anyway; let it see our cache.
        env.flush_all()
        with registry.cursor() as cr:
            yield _env(registry, cr, env)
        return
    with registry.cursor() as cr:
        cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        # A lock this short transaction waits for is held by another worker for one HTTP call
        # at most; waiting longer means something is stuck: fail instead of hanging a worker.
        cr.execute("SET LOCAL lock_timeout = '60s'")
        if model and res_id:
            table = env[model]._table
            cr.execute('SELECT 1 FROM "%s" WHERE id = %%s' % table, (res_id,))
            if not cr.fetchone():
                cr.rollback()
                yield env
                return
        yield _env(registry, cr, env)
        # leaving the block commits


def _env(registry, cr, env):
    """An environment on ``cr`` for the registry at hand (``api.Environment`` would look it up
    by name under the registries' lock, which a server holds while it loads or tests modules)."""
    cr.transaction = api.Transaction(registry)
    return api.Environment(cr, env.uid, env.context)


def commit(env):
    """Keep what a scheduled action did so far (a page, a batch, a connection), except inside a
    test, whose transaction is rolled back when it ends."""
    env.flush_all()
    if not getattr(threading.current_thread(), "testing", False):
        env.cr.commit()
