"""Say how many replicas PostgreSQL has room for.

--8<-- [start:task]
**Ticket RD-1103.** Since the pool went up to `REPAIRDESK_DB_THREADS=8` and the autoscaler's
ceiling to 15 replicas, new pods crash-loop at peak hours with
`FATAL: sorry, too many clients already`. Write `replicas_that_fit`, which the deploy
pipeline will call before it changes either. PostgreSQL accepts `max_connections` minus the
`reserved` slots it keeps for administrators. Each replica runs `workers` uvicorn processes,
and each process holds a pool of `pool_size` connections; the migration holds one connection
per migration job (`migrations`). During a rolling update, `surge` new replicas start before
old ones stop, so the replicas *plus* the surge must fit. Return the most replicas that fit.
If not even one does, raise `NotEnoughConnectionsError` with a message that gives the
numbers: what PostgreSQL accepts and what one replica holds. Arguments that make no sense (a
pool of 0, nothing left once the reserved slots are taken, a negative count) raise
`ValueError` naming the argument.
--8<-- [end:task]

The check calls `replicas_that_fit` with worked cases, the edges among them, and reads its errors.
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
    # TODO: the reserved slots, every worker's pool, the migration, the surge; and the errors.
    return max_connections // pool_size
