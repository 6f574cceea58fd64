"""The behaviours lesson 07 keeps from lessons 01-06: the app is restructured, not changed."""

from types import ModuleType

import pytest

from lessons.lesson_07_structure.api import deps as lesson_dependencies
from tests.behaviours.api_key_digests import *  # noqa: F403
from tests.behaviours.api_keys import *  # noqa: F403
from tests.behaviours.audit import *  # noqa: F403
from tests.behaviours.dependency_injection import *  # noqa: F403
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


@pytest.fixture
def dependencies() -> ModuleType:
    return lesson_dependencies
