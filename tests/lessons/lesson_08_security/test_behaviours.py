"""The behaviours lesson 08 keeps: all but those built on API keys, which tokens replace.

The API keys, the caller they named and its audit lines give way to users: `test_tokens.py`
covers authentication, the admin role and the audit under the users' emails.
"""

from tests.behaviours.body_limit import *  # noqa: F403
from tests.behaviours.documented_routes import *  # noqa: F403
from tests.behaviours.life_cycle import *  # noqa: F403
from tests.behaviours.listing import *  # noqa: F403
from tests.behaviours.persistence import *  # noqa: F403
from tests.behaviours.routing import *  # noqa: F403
from tests.behaviours.ticket_errors import *  # noqa: F403
from tests.behaviours.ticket_races import *  # noqa: F403
from tests.behaviours.ticket_updates import *  # noqa: F403
from tests.behaviours.ticket_validation import *  # noqa: F403
from tests.behaviours.tracking import *  # noqa: F403
from tests.behaviours.transactions import *  # noqa: F403
from tests.behaviours.utc_timestamps import *  # noqa: F403
