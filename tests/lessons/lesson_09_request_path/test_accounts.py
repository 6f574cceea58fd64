"""Lesson 08's admin users API, kept by lesson 09: the shared tests, run here."""

from tests.behaviours.accounts import *  # noqa: F403
