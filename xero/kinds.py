"""The Xero collections the client knows: SDK methods, id field, paging, options.

Adding a collection is one entry here plus its mapper. ``read_params`` are the SDK's own
parameter names (``inspect.signature`` of the read method): xero-python 15.2 spells the IDs
filters ``i_ds`` and ``contact_i_ds``; GET /Quotes takes no ``page_size`` (always 100) and its
writes no ``unitdp`` (a quote keeps 4 decimals anyway); GET /Payments has no IDs filter.
"""


class Kind:
    def __init__(self, name, id_field, read, write=None, create=None, page_size=None,
                 read_params=(), unitdp=False, guid_ids=True):
        self.name = name  # Xero's collection, also the JSON key of its answers
        self.id_field = id_field
        self.read = read  # SDK method listing the collection
        self.write = write  # SDK method creating or updating (POST)
        self.create = create  # SDK method creating only (PUT)
        self.page_size = page_size  # None: the endpoint answers everything at once
        self.read_params = set(read_params)  # optional filters the endpoint accepts
        # Unit prices: Xero rounds them to 2 decimals unless every read and write asks for 4.
        self.unitdp = unitdp
        # Reading by IDs without an IDs parameter filters on id_field: Guid("...") for a
        # Xero ID, a quoted text for a code (a TaxType, a currency's Code).
        self.guid_ids = guid_ids

    @property
    def reads_by_ids(self):
        return "i_ds" in self.read_params

    @property
    def sized_pages(self):
        """Whether the read takes ``page_size`` (else every page holds ``page_size`` records)."""
        return "page_size" in self.read_params


KINDS = {kind.name: kind for kind in (
    Kind("Contacts", "ContactID", read="get_contacts", write="update_or_create_contacts",
         create="create_contacts", page_size=1000,
         read_params={"if_modified_since", "where", "order", "i_ds", "include_archived",
                      "summary_only", "search_term", "page_size"}),
    Kind("Items", "ItemID", read="get_items", write="update_or_create_items", create="create_items",
         read_params={"if_modified_since", "where", "order"}, unitdp=True),
    Kind("Accounts", "AccountID", read="get_accounts", read_params={"if_modified_since", "where", "order"}),
    Kind("TaxRates", "TaxType", read="get_tax_rates", read_params={"where", "order"}, guid_ids=False),
    # The organisation's settings: short lists, answered whole (no paging, no If-Modified-Since).
    Kind("Currencies", "Code", read="get_currencies", read_params={"where", "order"}, guid_ids=False),
    Kind("TrackingCategories", "TrackingCategoryID", read="get_tracking_categories",
         read_params={"where", "order", "include_archived"}),
    Kind("BrandingThemes", "BrandingThemeID", read="get_branding_themes"),
    # Sales documents and what settles them. Without a page, GET /Invoices answers no lines:
    # these are always read page by page.
    Kind("Invoices", "InvoiceID", read="get_invoices", write="update_or_create_invoices",
         create="create_invoices", page_size=1000, unitdp=True,
         read_params={"if_modified_since", "where", "order", "i_ds", "invoice_numbers", "contact_i_ds",
                      "statuses", "summary_only", "search_term", "page_size"}),
    Kind("Quotes", "QuoteID", read="get_quotes", write="update_or_create_quotes", create="create_quotes",
         page_size=100,
         read_params={"if_modified_since", "order", "contact_id", "status", "quote_number", "date_from",
                      "date_to", "expiry_date_from", "expiry_date_to"}),
    # Payments are only created (PUT, many at once) and deleted (XeroClient.delete_payment).
    Kind("Payments", "PaymentID", read="get_payments", write="create_payments", create="create_payments",
         page_size=1000, read_params={"if_modified_since", "where", "order", "page_size"}),
    Kind("CreditNotes", "CreditNoteID", read="get_credit_notes", write="update_or_create_credit_notes",
         create="create_credit_notes", page_size=1000, unitdp=True,
         read_params={"if_modified_since", "where", "order", "page_size"}),
)}


def get(name):
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError("Unknown Xero collection %r" % name) from None
