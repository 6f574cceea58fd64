"""Lesson 08's admin users API, kept by every later lesson: the shared tests, run here."""

from tests.behaviours.accounts import *  # noqa: F403
