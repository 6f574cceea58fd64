"""Start the app when the database is ready, without a password in the file.

--8<-- [start:task]
**Ticket RD-903.** `docker compose up` with the `compose.yaml` of the exercise's folder fails
one time in three: the app starts as soon as the database's container exists, before
PostgreSQL accepts connections. And the database password is written in the file, so it is in
git. Give the `db` service a `healthcheck` that runs `pg_isready`; make `app` wait until `db`
is healthy (`depends_on` with a `condition`); take the password from the environment, in both
places it appears, with `${POSTGRES_PASSWORD:?...}` so that compose refuses to start without
it; and publish the app's port on the loopback interface only (`127.0.0.1`). The check reads
the file; it does not need Docker.
--8<-- [end:task]
"""
