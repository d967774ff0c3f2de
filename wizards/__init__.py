from . import xero_contact_match_wizard
from . import xero_mapping_wizard
from . import xero_test_run
