"""The behaviours lesson 05 keeps from lessons 01-04 and introduces itself."""

from tests.behaviours.api_key_digests import *  # noqa: F403
from tests.behaviours.api_keys import *  # noqa: F403
from tests.behaviours.audit import *  # noqa: F403
from tests.behaviours.dependency_injection import *  # noqa: F403
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
