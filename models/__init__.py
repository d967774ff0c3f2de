from . import xero_connection
from . import xero_token
from . import xero_oauth_state
from . import xero_quota
from . import xero_sync_log
from . import res_company
from . import res_config_settings
