"""From 18.0.1.0.0 (contacts only) to the sync engine.

What the contact sync kept on the connection (pause switch, watermark, when the customers were
linked) becomes the connection's customers row of ``xero.sync.state``; changes queued for held
contact links move to the one queue (``xero.sync.change``); the two contact scheduled actions
give way to the engine's. Product sync is new: on an upgraded database it starts paused on
every connection, so nothing is sent to or read from an organisation in use until an
administrator chooses (Settings → Xero → Products).
"""
from odoo import SUPERUSER_ID, api


def _columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,))
    return {row[0] for row in cr.fetchall()}


def migrate(cr, version):
    if not version:
        return
    if {"contacts_paused", "xero_contacts_pulled_at", "contacts_linked_at"} <= _columns(cr, "xero_connection"):
        cr.execute("""
            INSERT INTO xero_sync_state (connection_id, company_id, object, paused, pulled_at, linked_at,
                                         create_uid, write_uid, create_date, write_date)
            SELECT id, company_id, 'contacts', coalesce(contacts_paused, false), xero_contacts_pulled_at,
                   contacts_linked_at, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM xero_connection
                ON CONFLICT (connection_id, object) DO UPDATE
               SET paused = EXCLUDED.paused, pulled_at = EXCLUDED.pulled_at, linked_at = EXCLUDED.linked_at
        """, (SUPERUSER_ID, SUPERUSER_ID))
    if _columns(cr, "xero_partner_change"):
        cr.execute("""INSERT INTO xero_sync_change (link_model, link_id, groups, changed_at)
                      SELECT 'xero.partner.link', link_id, groups, changed_at FROM xero_partner_change""")
        cr.execute("DELETE FROM xero_partner_change")
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in ("xero_connector.ir_cron_xero_contacts_push", "xero_connector.ir_cron_xero_contacts_pull"):
        cron = env.ref(xmlid, raise_if_not_found=False)
        if cron:
            cron.unlink()
    cr.execute("""
        INSERT INTO xero_sync_state (connection_id, company_id, object, paused, create_uid, write_uid,
                                     create_date, write_date)
        SELECT id, company_id, 'items', true, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM xero_connection
            ON CONFLICT (connection_id, object) DO UPDATE SET paused = true
    """, (SUPERUSER_ID, SUPERUSER_ID))
