"""The behaviours lesson 01 introduces; later lessons import the same module."""

from tests.behaviours.routing import *  # noqa: F403
