"""Connections made before webhooks get their own webhook address."""
import secrets


def migrate(cr, version):
    cr.execute("SELECT id FROM xero_connection WHERE webhook_token IS NULL")
    for (connection_id,) in cr.fetchall():
        cr.execute("UPDATE xero_connection SET webhook_token = %s WHERE id = %s",
                   (secrets.token_urlsafe(24), connection_id))
