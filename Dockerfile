# RepairDesk's production image: a virtual environment built from pinned wheels in one stage,
# copied into a clean slim image that runs it as an unprivileged user. Lesson 10 walks through it.
#
#   docker build -t repairdesk .
#   docker run --rm -v repairdesk-data:/data -e REPAIRDESK_SECRET_KEY repairdesk python -m final_app migrate
#   docker run -d -v repairdesk-data:/data -e REPAIRDESK_SECRET_KEY -p 127.0.0.1:8000:8000 repairdesk
#
# Migrations are that explicit step, never hidden in CMD: with several replicas, each would race
# to run them. compose.yaml runs the whole setup with PostgreSQL.

# One place names the Python version; both stages use it, so the venv matches its interpreter.
ARG PYTHON_VERSION=3.11

# --8<-- [start:builder]
FROM python:${PYTHON_VERSION}-slim AS builder

# A venv without pip or setuptools: the base image's pip installs into it from outside,
# so neither ends up in the environment the runtime stage copies.
RUN python -m venv --without-pip /opt/venv

# The lock first: this layer stays cached until a pinned version changes.
# Wheels only (psycopg 3 ships binary wheels: no gcc, no libpq-dev), each checked by its hash.
COPY requirements/runtime.txt /tmp/runtime.txt
RUN python -m pip --python /opt/venv/bin/python install \
        --no-cache-dir --disable-pip-version-check \
        --only-binary=:all: --require-hashes -r /tmp/runtime.txt

# What follows only removes. This stage's layers are never shipped, only the /opt/venv they
# leave, so each cut is a step of its own, with its reason (lesson 10 measures each).
# Compiled extensions come with symbol tables and debug information that only a debugger
# reads: most of the size of SQLAlchemy's Cython modules. `strip` drops them and leaves the
# code as it is. binutils, which brings it, is a tool of this stage, never of the image; its
# version is whatever the base image's Debian release ships: no pin fits every base.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends binutils \
    && rm -rf /var/lib/apt/lists/* \
    && find /opt/venv -name '*.so' -exec strip --strip-unneeded {} +

# The packages' own test suites and type stubs: the app neither runs nor type-checks them.
RUN rm -rf /opt/venv/lib/python*/site-packages/sqlalchemy/testing \
        /opt/venv/lib/python*/site-packages/alembic/testing \
        /opt/venv/lib/python*/site-packages/mako/testing \
    && find /opt/venv -name '*.pyi' -delete

# What the app cannot use at all: SQLAlchemy's dialects for databases whose drivers the image
# does not have (MySQL, SQL Server, Oracle); dnspython, which email-validator loads only to
# check that a domain receives mail, a check pydantic's EmailStr never asks for; and cffi's
# C parser (cffi, pycparser), which compiled argon2's bindings when their wheel was built:
# at run time they need only its compiled backend, _cffi_backend.
RUN rm -rf /opt/venv/lib/python*/site-packages/sqlalchemy/dialects/mysql \
        /opt/venv/lib/python*/site-packages/sqlalchemy/dialects/mssql \
        /opt/venv/lib/python*/site-packages/sqlalchemy/dialects/oracle \
        /opt/venv/lib/python*/site-packages/dns \
        /opt/venv/lib/python*/site-packages/dnspython-*.dist-info \
        /opt/venv/lib/python*/site-packages/cffi \
        /opt/venv/lib/python*/site-packages/pycparser \
        /opt/venv/lib/python*/site-packages/pycparser-*.dist-info

# The app last: editing it rebuilds only these cheap layers. Compiling it here ships its
# bytecode, so a container never compiles at start-up (and could not write it anyway).
WORKDIR /app
COPY final_app/ final_app/
RUN /opt/venv/bin/python -m compileall -q final_app

# pip compiled every module it installed, many that never load (SQLAlchemy's asyncio
# extension, the protocols uvicorn offers besides h11, ...). So drop that bytecode and load
# the app as the container does: uvicorn's loader, the PostgreSQL driver (a URL is enough:
# nothing connects), the migration command, anyio's event-loop backend. Each module imported
# writes its own bytecode, and the stripped extensions it loads must work for the build to go
# on. A module first imported later still runs: it compiles in memory when it loads.
RUN find /opt/venv -name __pycache__ -prune -exec rm -rf {} + \
    && REPAIRDESK_DATABASE_URL=postgresql+psycopg:// /opt/venv/bin/python -c \
        "import anyio, uvicorn, final_app.__main__; \
        uvicorn.Config('final_app.main:app').load(); anyio.run(anyio.sleep, 0)"
# --8<-- [end:builder]

# --8<-- [start:runtime]
FROM python:${PYTHON_VERSION}-slim AS runtime

# An image is built to be deployed: REPAIRDESK_PRODUCTION refuses to start with the public
# development secret, so every `run` must pass REPAIRDESK_SECRET_KEY (none is baked in).
# SQLite lives under /data (mount a volume there); PostgreSQL replaces the URL at run time.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    UVICORN_HOST=0.0.0.0 \
    UVICORN_PORT=8000 \
    UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN=8 \
    REPAIRDESK_PRODUCTION=1 \
    REPAIRDESK_DATABASE_URL=sqlite:////data/repairdesk.db

# A fixed numeric uid/gid: volumes and orchestrators (runAsNonRoot) can rely on it.
# /data, the only directory that user may write, is where a volume goes.
RUN groupadd --system --gid 10001 repairdesk \
    && useradd --system --no-log-init --uid 10001 --gid repairdesk \
        --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin repairdesk \
    && install --directory --owner=repairdesk --group=repairdesk /data

# Root owns the code and the environment: the process that runs them cannot change them.
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
WORKDIR /app
USER 10001:10001

EXPOSE 8000
# The standard library is enough to probe the app: slim images have no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['UVICORN_PORT']}/health/live\", timeout=4)"]

# uvicorn reads its UVICORN_* settings (above): 0.0.0.0:8000 unless the environment says otherwise.
# On SIGTERM it stops accepting connections and lets the requests in flight finish, for 8 s at
# most (UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN is `--timeout-graceful-shutdown 8`), then cancels the rest and shuts the app down: all within the 10 s an engine waits before
# SIGKILL. Unbounded, one client trickling a body keeps it alive until that SIGKILL ends every
# request at once. Raise both together: this and compose's stop_grace_period (Kubernetes:
# terminationGracePeriodSeconds).
# One process per container; run more containers to scale.
CMD ["uvicorn", "final_app.main:app"]
# --8<-- [end:runtime]
