"""The `client` of lessons 04 to 07, where every ticket route needs an API key.

A lesson's conftest imports it (`from tests.support.api_key_client import client`) in place
of the plain client of tests/conftest.py, so the shared behaviour tests run unchanged.
"""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.behaviours.api_keys import FRONT_DESK_KEY


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client that sends the front desk's API key with every request."""
    with TestClient(app, headers={"X-API-Key": FRONT_DESK_KEY}) as client:
        yield client
