"""Checks `replicas_that_fit` against worked cases, the edges among them, and its errors.

`tests/deploy/connections.py` does the same sum over the committed compose.yaml and
manifests; here the numbers are the check's own, each with the sum that gives its answer.

--8<-- [start:hint]
Work one case on paper first: what PostgreSQL accepts, what the migration takes of that, and
how many connections one replica holds (every uvicorn worker has a pool of its own). Only
whole replicas count, and during a rollout the surging replicas live in the same budget as
the others. Check the arguments before any arithmetic (a pool of 0 would otherwise divide by
zero), and put the numbers you computed into the error's message: it is all a person reading
a failed deploy has.
--8<-- [end:hint]
"""

from types import ModuleType
from typing import Any

CASES: list[tuple[dict[str, int], int, str]] = [
    (
        {"max_connections": 100, "reserved": 3, "pool_size": 2},
        48,
        "PostgreSQL's defaults accept 100 - 3 = 97; the migration holds 1, leaving 96; each "
        "replica holds 1 worker x 2 = 2 connections: 96 // 2 = 48",
    ),
    (
        {"max_connections": 100, "reserved": 3, "pool_size": 2, "surge": 1},
        47,
        "96 connections hold 48 replicas of 2, and a rolling update starts 1 more before an old "
        "one stops: 48 - 1 = 47",
    ),
    (
        {"max_connections": 100, "reserved": 3, "pool_size": 10, "workers": 2},
        4,
        "each replica runs 2 uvicorn workers, each with its own pool of 10: 20 connections a "
        "replica; 96 // 20 = 4",
    ),
    (
        {"max_connections": 100, "reserved": 3, "pool_size": 10},
        9,
        "96 // 10 = 9: a tenth replica would need 100 connections, and whole replicas only",
    ),
    (
        {"max_connections": 25, "reserved": 3, "pool_size": 5, "migrations": 2},
        4,
        "25 - 3 = 22, minus 2 migration connections = 20, exactly 4 replicas of 5: a sum that "
        "reaches the limit still fits",
    ),
    (
        {"max_connections": 200, "reserved": 13, "pool_size": 20, "migrations": 0},
        9,
        "200 - 13 reserved (superuser_reserved_connections and reserved_connections together) "
        "= 187, no migration: 187 // 20 = 9",
    ),
    (
        {"max_connections": 100, "reserved": 3, "pool_size": 96},
        1,
        "97 - 1 = 96 connections hold exactly one replica of 96",
    ),
]

DO_NOT_FIT: list[tuple[dict[str, int], tuple[int, int], str]] = [
    (
        {"max_connections": 100, "reserved": 3, "pool_size": 60, "workers": 2},
        (97, 120),
        "one replica holds 2 workers x 60 = 120 connections; PostgreSQL accepts 97",
    ),
    (
        {"max_connections": 100, "reserved": 3, "pool_size": 20, "workers": 2, "surge": 2},
        (97, 40),
        "96 connections hold 2 replicas of 40, and the rollout's 2 surging replicas need them",
    ),
]

NONSENSE: list[tuple[dict[str, int], str]] = [
    ({"max_connections": 100, "reserved": 3, "pool_size": 0}, "pool_size"),
    ({"max_connections": 100, "reserved": 3, "pool_size": 2, "workers": 0}, "workers"),
    ({"max_connections": 100, "reserved": 100, "pool_size": 2}, "reserved"),
    ({"max_connections": 100, "reserved": -1, "pool_size": 2}, "reserved"),
    ({"max_connections": 100, "reserved": 3, "pool_size": 2, "migrations": -1}, "migrations"),
    ({"max_connections": 100, "reserved": 3, "pool_size": 2, "surge": -1}, "surge"),
]


def call(arguments: dict[str, int]) -> str:
    return f"replicas_that_fit({', '.join(f'{k}={v}' for k, v in arguments.items())})"


def outcome(module: ModuleType, arguments: dict[str, int]) -> Any:
    """What `replicas_that_fit(**arguments)` returned, or the exception it raised."""
    try:
        return module.replicas_that_fit(**arguments)
    except Exception as error:  # each test says which exception it expects
        return error


def test_the_replicas_that_fit(module: ModuleType) -> None:
    for arguments, expected, why in CASES:
        found = outcome(module, arguments)
        if isinstance(found, Exception):
            raise AssertionError(
                f"{call(arguments)} raised {type(found).__name__}({found}); it should return "
                f"{expected}: {why}"
            )
        assert found == expected, (
            f"{call(arguments)} returned {found!r}; it should be {expected}: {why}"
        )


def test_not_even_one_replica_is_an_error_with_the_numbers(module: ModuleType) -> None:
    for arguments, (accepted, one_replica), why in DO_NOT_FIT:
        error = outcome(module, arguments)
        assert isinstance(error, Exception), (
            f"{call(arguments)} returned {error!r}; not even one replica fits ({why}): it "
            "should raise NotEnoughConnectionsError, since a deploy should stop there"
        )
        assert isinstance(error, module.NotEnoughConnectionsError), (
            f"{call(arguments)} raised {type(error).__name__}({error}); when no replica fits it "
            "should raise NotEnoughConnectionsError, which a pipeline tells from a mistyped "
            "argument"
        )
        message = str(error)
        left = accepted - arguments.get("migrations", 1)  # after the migration's share
        gives_the_numbers = str(one_replica) in message and (
            str(accepted) in message or str(left) in message
        )
        assert gives_the_numbers, (
            f'{call(arguments)} raised NotEnoughConnectionsError("{message}"): the message '
            f"should give the numbers ({why}), so that whoever reads it knows what to change"
        )


def test_arguments_that_make_no_sense_are_refused(module: ModuleType) -> None:
    for arguments, name in NONSENSE:
        error = outcome(module, arguments)
        assert isinstance(error, Exception), (
            f"{call(arguments)} returned {error!r}; `{name}` makes no sense there: raise "
            f"ValueError naming `{name}`"
        )
        assert isinstance(error, ValueError), (
            f"{call(arguments)} raised {type(error).__name__}({error}): check `{name}` before "
            "any arithmetic, and raise ValueError naming it"
        )
        assert name in str(error), (
            f'{call(arguments)} raised ValueError("{error}"); its message should name `{name}`, '
            "the argument to fix"
        )
