"""Give each test a database of its own.

--8<-- [start:task]
**Ticket RD-503.** The tests of lesson 05's app need a database that lives in memory (fast,
nothing left on disk) and belongs to one test. `fresh_database` makes one with
`create_engine("sqlite://")`, and the app's first request fails with "no such table: tickets",
although the app created its tables at start-up. Find out why (the lesson's pitfalls say) and
fix `fresh_database`, so that the app works on the database it returns: a ticket opened in a
request can be read in the next one, two fresh databases share nothing, and no file is written.
--8<-- [end:task]
"""

from sqlalchemy import create_engine

from lessons.lesson_05_database.db import Database


def fresh_database() -> Database:
    """An empty in-memory database, for one test."""
    # TODO: make the tables the app creates at start-up visible to its requests.
    return Database(create_engine("sqlite://"))
