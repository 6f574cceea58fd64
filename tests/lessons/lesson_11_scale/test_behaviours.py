"""The behaviours lesson 11 keeps from the lessons before it, imported, not written again.

They run on SQLite and PostgreSQL like the rest of this suite. The conftest tells them what
differs from the early lessons: tickets under /api/v1/tickets, a list that is a page (`items`,
`total`, ...) shown newest first, a 500 that quotes its request id, an endpoint's session from
`Database.run`. What lesson 11 does not keep is named beside each import, with why. The
behaviours lesson 11 adds are in test_scale.py.
"""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lessons.lesson_11_scale.security import Principal
from tests.behaviours.body_limit import *  # noqa: F403
from tests.behaviours.documented_routes import *  # noqa: F403
from tests.behaviours.life_cycle import *  # noqa: F403

# Not api_keys, audit, dependency_injection: tokens replaced API keys and their caller.
# Not the device filter, nor its OpenAPI parameter: the list filters by customer email.
from tests.behaviours.listing import (  # noqa: F401
    listed_ids,
    test_limit_caps_the_list,
    test_negative_offset_is_a_422_naming_the_parameter,
    test_offset_and_limit_select_a_page,
    test_offset_past_the_end_is_an_empty_page,
    test_offset_skips_the_first_tickets,
    test_status_filter_leaves_out_other_statuses,
    three_devices,
)
from tests.behaviours.password_threads import *  # noqa: F403

# Not the list in the order tickets were opened: it is newest first.
from tests.behaviours.persistence import (  # noqa: F401
    test_cost_answered_on_create_is_the_cost_read_back,
    test_cost_read_back_from_the_database_keeps_its_cents,
    test_timestamp_read_back_from_the_database_is_in_utc,
)
from tests.behaviours.routing import (  # noqa: F401
    test_docs_page_is_served,
    test_limit_above_a_hundred_is_a_422,
    test_limit_below_one_is_a_422_naming_the_parameter,
    test_openapi_documents_the_ticket_routes,
    test_path_id_that_is_not_an_integer_is_a_422_naming_the_parameter,
    test_status_filter_outside_the_known_statuses_is_a_422,
    test_unknown_ticket_is_a_404,
)
from tests.behaviours.start_up_logs import *  # noqa: F403
from tests.behaviours.ticket_errors import *  # noqa: F403
from tests.behaviours.ticket_updates import *  # noqa: F403
from tests.behaviours.ticket_validation import *  # noqa: F403
from tests.behaviours.tracking import *  # noqa: F403
from tests.behaviours.transactions import *  # noqa: F403
from tests.lessons.lesson_11_scale.conftest import bearer
from tests.support.api_v1 import tracking_path  # noqa: F401 (a fixture: the public route)


@pytest.fixture
def client(app: FastAPI, admin: Principal) -> Iterator[TestClient]:
    """An admin's client, so the shared tests (deleting included) run unchanged.

    Only here: the rest of this suite's `client` sends no token, and each test its own.
    """
    with TestClient(app, headers=bearer(admin)) as client:
        yield client
