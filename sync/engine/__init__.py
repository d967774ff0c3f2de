"""The sync engine: what every synced object shares.

``registry``  the objects, in dependency order;  ``sync_type``  what each object provides;
``push``  Odoo → Xero;  ``pull``  Xero → Odoo (by watermark, or given ids);  ``merge``  the
three-way merge of field groups;  ``policy``  what a failure does;  ``messages``  what people read.
The per-record state and locks are ``models/xero_link_mixin.py``; the queue of changes saved
while a push held a record ``models/xero_sync_change.py``; the per-object state of a connection and
the scheduled actions ``models/xero_sync_state.py``.
"""
