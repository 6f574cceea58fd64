"""The behaviours lesson 08 keeps: everything but the API keys, which bearer tokens replace."""

from tests.behaviours.listing import *  # noqa: F403
from tests.behaviours.routing import *  # noqa: F403
from tests.behaviours.ticket_errors import *  # noqa: F403
from tests.behaviours.ticket_validation import *  # noqa: F403
