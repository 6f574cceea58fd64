"""Lesson 06's app on an in-memory database of its own, and a client that sends an API key."""

from types import ModuleType

import pytest

from lessons.lesson_06_async import app as lesson
from lessons.lesson_06_async import dependencies as lesson_dependencies
from lessons.lesson_06_async.db import Database, SessionDep
from lessons.lesson_06_async.models import Ticket
from tests.support.api_key_client import client
from tests.support.api_v1 import listed_tickets  # a list is a page, from lesson 05 on
from tests.support.database import database_engine, in_memory_app, transaction_fixtures

__all__ = [
    "client",
    "database_engine",
    "listed_tickets",
]  # fixtures, imported so that pytest finds them here


app = in_memory_app(lesson.app, Database)


@pytest.fixture
def dependencies() -> ModuleType:
    """The lesson's dependencies, for the shared tests that override or count them."""
    return lesson_dependencies


session_dependency, ticket_row = transaction_fixtures(SessionDep, Ticket)


@pytest.fixture
def ticket_routes() -> ModuleType:
    """The module of the ticket routes, for the shared tests that race them."""
    return lesson
