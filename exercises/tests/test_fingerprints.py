"""A learner's edited starting point is told apart from the published one by its fingerprint."""

import pytest

from exercises import catalog
from exercises.catalog import all_exercises

EXERCISE = all_exercises()[0]


@pytest.fixture(autouse=True)
def not_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


def publish(monkeypatch: pytest.MonkeyPatch, fingerprints: dict[str, str]) -> None:
    monkeypatch.setattr(catalog, "published_fingerprints", lambda: fingerprints)


def test_a_starting_point_as_published_is_pristine(monkeypatch: pytest.MonkeyPatch) -> None:
    publish(monkeypatch, EXERCISE.fingerprint)
    assert EXERCISE.pristine


def test_an_edited_starting_point_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    publish(monkeypatch, dict.fromkeys(EXERCISE.fingerprint, "0" * 64))
    assert not EXERCISE.pristine
    assert EXERCISE.unpublished() == list(EXERCISE.fingerprint)


def test_a_new_starting_point_counts_as_pristine(monkeypatch: pytest.MonkeyPatch) -> None:
    publish(monkeypatch, {})
    assert EXERCISE.pristine


def test_on_ci_every_starting_point_counts_as_pristine(monkeypatch: pytest.MonkeyPatch) -> None:
    publish(monkeypatch, dict.fromkeys(EXERCISE.fingerprint, "0" * 64))
    monkeypatch.setenv("CI", "true")
    assert EXERCISE.pristine
