from . import test_install
from . import test_connection
from . import test_token_race
from . import test_secrets
from . import test_sync_log
from . import test_oauth
from . import test_quota_store
