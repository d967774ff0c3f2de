"""The sales documents of one organisation (invoices, quotes, credit notes) and its payments:
``RecordStore``s (``recordstore.py``) keyed by their Xero ID.

A document store also indexes the document's number (InvoiceNumber, QuoteNumber,
CreditNoteNumber; trimmed, any case), which Xero's GET by number, POST by number and the
uniqueness rule use, and numbers new documents as the organisation's settings would: a prefix
and the next free number of 4 digits (INV-0001, QU-0001, CN-0001). The counter only moves when
a request is stored (``commit``), so a refused batch leaves no gap, as an all-or-nothing write
on Xero does.

Documents are listed by Date, then number: Xero does not document its default order, this is
the fake's choice, and a stable one for paging.
"""
from .recordstore import Changes, Lookups, RecordStore, fold, text_key
from .shapes import parse_ms_date


class NumberLookups(Lookups):
    def with_number(self, number):
        """IDs of the documents whose number matches ``number`` (trimmed, any case)."""
        return self.having("number", text_key(number))

    def by_number(self, number):
        return self.first(self.with_number(number))


class DocumentChanges(NumberLookups, Changes):
    """A write request's pending documents, with its own view of the numbering counter."""

    def __init__(self, store):
        super().__init__(store)
        self.last_number = store.last_number

    def next_number(self, taken=None):
        """The next free automatic number (``taken(number)`` says whether a number is used;
        by default any document of this store holding it)."""
        taken = taken or (lambda number: bool(self.with_number(number)))
        n = self.last_number + 1
        while taken(self._store.PREFIX + "%04d" % n):
            n += 1
        self.last_number = n
        return self._store.PREFIX + "%04d" % n

    def commit(self):
        super().commit()
        with self._store._lock:
            self._store.last_number = max(self._store.last_number, self.last_number)


class DocumentStore(NumberLookups, RecordStore):
    NUMBER_FIELD = None     # "InvoiceNumber"
    PREFIX = None           # "INV-"
    INDEXES = ("number",)
    CHANGES = DocumentChanges

    def __init__(self, records=()):
        self.last_number = 0
        super().__init__(records)

    @classmethod
    def index_keys(cls, record):
        return (text_key(record.get(cls.NUMBER_FIELD)),)

    @classmethod
    def order_key(cls, record):
        return (parse_ms_date(record.get("Date")) or 0, fold(record.get(cls.NUMBER_FIELD)))


class InvoiceStore(DocumentStore):
    ID_FIELD = "InvoiceID"
    NUMBER_FIELD = "InvoiceNumber"
    PREFIX = "INV-"
    NOUN = "invoices"


class QuoteStore(DocumentStore):
    ID_FIELD = "QuoteID"
    NUMBER_FIELD = "QuoteNumber"
    PREFIX = "QU-"
    NOUN = "quotes"


class CreditNoteStore(DocumentStore):
    ID_FIELD = "CreditNoteID"
    NUMBER_FIELD = "CreditNoteNumber"
    PREFIX = "CN-"
    NOUN = "credit notes"


class PaymentStore(RecordStore):
    """Payments by PaymentID, listed by Date (deleted ones stay, with Status DELETED: a reader
    polling GET /Payments sees a deletion)."""

    ID_FIELD = "PaymentID"
    NOUN = "payments"

    @staticmethod
    def order_key(record):
        return parse_ms_date(record.get("Date")) or 0


class AllocationStore(RecordStore):
    """Credit note allocations by AllocationID, so that their writes share the write pipeline."""

    ID_FIELD = "AllocationID"
    NOUN = "allocations"
