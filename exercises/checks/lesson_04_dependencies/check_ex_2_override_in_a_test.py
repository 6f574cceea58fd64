"""Checks the learner's test: it passes, overrides `get_caller`, cleans up, and catches bugs.

The check runs `test_a_ticket_says_who_opened_it` as it is, and in two broken worlds in which
it must fail: one where the override is ignored, one where it answers someone else.

--8<-- [start:hint]
`app.dependency_overrides` is a dict: `app.dependency_overrides[get_caller] = the_workshop`,
where `the_workshop` is a function you write that returns `Caller(name="workshop")`. Wrap the
request and the asserts in `try:` ... `finally: app.dependency_overrides.pop(get_caller,
None)` so that the override goes whatever happens. Assert both the status code and
`response.json()["opened_by"]`.
--8<-- [end:hint]
"""

from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from exercises.checks.words import where_it_failed
from lessons.lesson_04_dependencies import app as lesson
from lessons.lesson_04_dependencies import dependencies
from lessons.lesson_04_dependencies.dependencies import Caller, get_caller

TEST_NAME = "test_a_ticket_says_who_opened_it"


class RecordingOverrides(dict[Any, Any]):
    """`app.dependency_overrides` that remembers what the test overrode."""

    def __init__(self) -> None:
        super().__init__()
        self.overridden: set[Any] = set()

    def __setitem__(self, key: Any, value: Any) -> None:
        self.overridden.add(key)
        super().__setitem__(self.tamper(key), value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def tamper(self, key: Any) -> Any:
        return key


class IgnoredOverrides(RecordingOverrides):
    """A world where the override never takes effect."""

    def tamper(self, key: Any) -> Any:
        return object()  # stored under a key FastAPI never looks up


class SomeoneElse(RecordingOverrides):
    """A world where the override says the caller is the front desk."""

    def __setitem__(self, key: Any, value: Any) -> None:
        self.overridden.add(key)
        dict.__setitem__(self, key, lambda: Caller(name="front desk"))


@pytest.fixture(autouse=True)
def no_real_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No API key works: the test must not depend on one."""
    monkeypatch.setattr(dependencies, "API_KEYS", {})
    yield
    lesson.TICKETS.clear()


def learners_test(module: ModuleType) -> Callable[[], None]:
    test = getattr(module, TEST_NAME, None)
    assert callable(test), f"keep the test function `{TEST_NAME}`: the check runs it"
    return test  # type: ignore[no-any-return]


def run_in(world: RecordingOverrides, module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lesson.app, "dependency_overrides", world)
    learners_test(module)()


def test_your_test_passes(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        run_in(RecordingOverrides(), module, monkeypatch)
    except AssertionError as failure:
        raise AssertionError(f"your test fails {where_it_failed(failure)}") from failure


def test_your_test_overrides_get_caller(
    module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = RecordingOverrides()
    run_in(world, module, monkeypatch)
    assert get_caller in world.overridden, (
        "your test does not override `get_caller` through `app.dependency_overrides`"
    )


def test_your_test_removes_its_override(
    module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = RecordingOverrides()
    run_in(world, module, monkeypatch)
    assert not world, "your test leaves its override in `app.dependency_overrides`: remove it"


@pytest.mark.parametrize(
    ("world", "what"),
    [
        (IgnoredOverrides, "the override is ignored (so the request gets a 401)"),
        (SomeoneElse, "the override says the caller is the front desk"),
    ],
    ids=["override ignored", "someone else"],
)
def test_your_test_catches_a_broken_world(
    module: ModuleType, monkeypatch: pytest.MonkeyPatch, world: type[RecordingOverrides], what: str
) -> None:
    try:
        run_in(world(), module, monkeypatch)
    except AssertionError:
        return  # caught it
    raise AssertionError(f"your test still passes when {what}: what should it assert?")
