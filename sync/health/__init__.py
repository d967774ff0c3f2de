"""The health check of a connection: what may be wrong between Odoo and its Xero organisation,
found before people trip over it, each with what to do about it.

``run``  one check of one connection (``run.check``), the order and the failures of checks;
``contacts``  possible duplicate contacts in Xero, customers sharing one Xero contact;
``spot``  a random sample of sent invoices and linked customers compared with Xero;
``status``  records in error, Xero calls used, the connection and its webhook;
``findings``  what a check found;  ``messages``  what people read.
The pure grouping of duplicates is ``xero/duplicates.py``; the report is ``xero.health.report``.
"""
