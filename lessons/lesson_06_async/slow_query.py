"""A stand-in for a slow database: SQLite connections whose SELECTs take longer on purpose.

SQLite answers this lesson's queries in microseconds, too fast to show what blocking costs.
A query on a busy database server can take tens of milliseconds, and all that time the
calling thread waits inside the driver. `SlowConnection` reproduces exactly that: each SELECT
sleeps `delay_ms` inside the driver's `execute()`, in whichever thread runs the query — the
event loop's thread if an `async def` endpoint calls a sync `Session`, a threadpool worker
for a `def` endpoint, aiosqlite's own thread for an `AsyncSession`.
"""

import sqlite3
import time
from typing import Any


def slow_connect_args(delay_ms: float) -> dict[str, Any]:
    """`connect_args` for `create_engine()` that slow every SELECT down by `delay_ms`."""
    if delay_ms <= 0:
        return {}

    class SlowCursor(sqlite3.Cursor):
        def execute(self, sql: str, parameters: Any = (), /) -> "SlowCursor":
            if sql.lstrip().upper().startswith("SELECT"):
                time.sleep(delay_ms / 1000)  # blocks this thread, as a driver waiting on a socket
            super().execute(sql, parameters)
            return self

    class SlowConnection(sqlite3.Connection):
        def cursor(self, factory: Any = SlowCursor) -> Any:
            return super().cursor(factory)

    # sqlite3.connect() builds its connection with `factory`; aiosqlite passes it through.
    return {"factory": SlowConnection}
