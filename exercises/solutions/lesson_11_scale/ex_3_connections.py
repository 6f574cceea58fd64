"""Exercise 11.3, solved: whole replicas in what PostgreSQL accepts, after the migration's share.

Every uvicorn process keeps a pool of its own, so a replica holds `workers * pool_size`
connections whether it is busy or not; scaling out multiplies that, and PostgreSQL refuses
the connection past its limit at the worst moment: when a new pod starts. The sum is done in
whole replicas (`//`): a replica with half a pool still opens all of it.

The surge counts because a rolling update runs new pods beside the old ones before those
stop: at that moment, `replicas + surge` pods hold connections. Arguments are checked first,
each by name, so that a typo in a pipeline reads as one, and not as a `ZeroDivisionError`;
when no replica fits, the message carries the sum, since it is all a failed deploy shows.
"""


class NotEnoughConnectionsError(ValueError):
    """Not even one replica fits under PostgreSQL's `max_connections`."""


def replicas_that_fit(
    *,
    max_connections: int,
    reserved: int,
    pool_size: int,
    workers: int = 1,
    migrations: int = 1,
    surge: int = 0,
) -> int:
    """The most replicas whose connections, with the migration's and a rollout's, fit."""
    for name, value, least in [
        ("pool_size", pool_size, 1),
        ("workers", workers, 1),
        ("reserved", reserved, 0),
        ("migrations", migrations, 0),
        ("surge", surge, 0),
    ]:
        if value < least:
            raise ValueError(f"{name} must be at least {least}, not {value}")
    if reserved >= max_connections:
        raise ValueError(
            f"reserved ({reserved}) leaves nothing of max_connections ({max_connections})"
        )
    accepted = max_connections - reserved
    per_replica = workers * pool_size
    replicas = (accepted - migrations) // per_replica - surge
    if replicas < 1:
        raise NotEnoughConnectionsError(
            f"PostgreSQL accepts {accepted} connections ({max_connections} max_connections - "
            f"{reserved} reserved); the migration holds {migrations} and each replica "
            f"{per_replica} ({workers} workers x {pool_size}), with {surge} more replicas "
            "during a rollout: not one replica fits. Lower the pool or the workers, or raise "
            "max_connections"
        )
    return replicas
