"""Odoo-side orchestration of the syncs (one module per flow), between the ORM models and the
pure ``xero`` layer: partner_values (the field map), contact_match, contact_merge (the conflict
rule applied), contact_push, contact_pull. Messages for people are worded in ``messages``."""
