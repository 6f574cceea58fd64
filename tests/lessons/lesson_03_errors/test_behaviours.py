"""The behaviours lesson 03 keeps from lessons 01-02 and introduces itself."""

from tests.behaviours.routing import *  # noqa: F403
from tests.behaviours.ticket_errors import *  # noqa: F403
from tests.behaviours.ticket_validation import *  # noqa: F403
