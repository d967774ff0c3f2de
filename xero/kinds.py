"""The Xero collections the client knows: SDK methods, id field, paging, options.

Adding a collection (Invoices, Quotes, ...) is one entry here plus its mapper.
"""


class Kind:
    def __init__(self, name, id_field, read, write=None, create=None, page_size=None,
                 read_params=(), unitdp=False):
        self.name = name  # Xero's collection, also the JSON key of its answers
        self.id_field = id_field
        self.read = read  # SDK method listing the collection
        self.write = write  # SDK method creating or updating (POST)
        self.create = create  # SDK method creating only (PUT)
        self.page_size = page_size  # None: the endpoint answers everything at once
        self.read_params = set(read_params)  # optional filters the endpoint accepts
        # Unit prices: Xero rounds them to 2 decimals unless every read and write asks for 4.
        self.unitdp = unitdp

    @property
    def reads_by_ids(self):
        return "i_ds" in self.read_params


KINDS = {kind.name: kind for kind in (
    Kind("Contacts", "ContactID", read="get_contacts", write="update_or_create_contacts",
         create="create_contacts", page_size=1000,
         read_params={"if_modified_since", "where", "order", "i_ds", "include_archived",
                      "summary_only", "search_term"}),
    Kind("Items", "ItemID", read="get_items", write="update_or_create_items", create="create_items",
         read_params={"if_modified_since", "where", "order"}, unitdp=True),
    Kind("Accounts", "AccountID", read="get_accounts", read_params={"if_modified_since", "where", "order"}),
    Kind("TaxRates", "TaxType", read="get_tax_rates", read_params={"where", "order"}),
)}


def get(name):
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError("Unknown Xero collection %r" % name) from None
