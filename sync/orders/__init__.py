"""Sale orders as Xero invoices and quotes: their values (``values``); sending comes with Send to Xero."""
