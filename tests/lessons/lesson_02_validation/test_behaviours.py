"""The behaviours lesson 02 keeps from lesson 01 and introduces itself."""

from tests.behaviours.routing import *  # noqa: F403
from tests.behaviours.ticket_validation import *  # noqa: F403
