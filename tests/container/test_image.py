"""What the built image contains, and what it leaves out."""

from __future__ import annotations

import json
import time

from benchmarks.harness import free_port
from tests.container.conftest import MAX_IMAGE_MB, Figures, size_mb, unique_name
from tests.container.engine import Engine, Resources, wait_until_live

UID = "10001"
STOP_TIMEOUT_S = 5  # how long `stop` waits after SIGTERM before it sends SIGKILL


def python_in(engine: Engine, image: str, code: str) -> str:
    """Run a Python one-liner in a throwaway container of the image; return what it printed."""
    return engine("run", "--rm", *engine.run_flags, image, "python", "-c", code).strip()


def importable(engine: Engine, image: str, *modules: str) -> list[str]:
    """Which of these modules the image's Python can import."""
    code = (
        "import importlib.util as u, json; "
        f"print(json.dumps([m for m in {modules} if u.find_spec(m)]))"
    )
    found: list[str] = json.loads(python_in(engine, image, code))
    return found


def last_exception(logs: str) -> str:
    """The end of a traceback: the exception and its message, without the frames before it."""
    lines = logs.rstrip().splitlines()
    start = max(i for i, line in enumerate(lines) if line and not line[0].isspace())
    return "\n".join(["Traceback (most recent call last):", "  ...", *lines[start:]])


def test_image_is_at_most_180_mb(engine: Engine, image: str) -> None:
    assert size_mb(engine, image) <= MAX_IMAGE_MB


# Imports every compiled extension in the venv (module names from their paths), then asks
# libpq, which psycopg's binary wheel bundles with the libraries it links, for its version.
LOAD_EVERY_EXTENSION = """
import importlib, json, pathlib, sysconfig
import psycopg
site = pathlib.Path(sysconfig.get_paths()["purelib"])
names = sorted(
    ".".join([*path.relative_to(site).parent.parts, path.name.split(".")[0]])
    for path in site.rglob("*.so")
)
for name in names:
    importlib.import_module(name)
print(json.dumps({"loaded": names, "psycopg": psycopg.pq.__impl__, "libpq": psycopg.pq.version()}))
"""


def test_stripped_extensions_still_load(engine: Engine, image: str) -> None:
    # A library `strip` broke fails here, not on a request in production. The app's own
    # start-up, which the tests below run and serve, loads them as well.
    result = json.loads(python_in(engine, image, LOAD_EVERY_EXTENSION))
    assert {
        "pydantic_core._pydantic_core",  # every validation
        "sqlalchemy.engine._row_cy",  # every row read
        "psycopg_binary._psycopg",  # PostgreSQL
        "_argon2_cffi_bindings._ffi",  # password hashing
        "_cffi_backend",
    } <= set(result["loaded"])
    assert result["psycopg"] == "binary"
    assert result["libpq"] > 0


# The ELF section names of every compiled extension that still has a symbol table or debug
# information; `strip` leaves none. (ELF64, little-endian: what x86-64 and arm64 images hold.)
SYMBOL_TABLES_LEFT = """
import json, pathlib, struct, sysconfig
site = pathlib.Path(sysconfig.get_paths()["purelib"])
left = {}
for path in site.rglob("*.so"):
    data = path.read_bytes()
    (offset,) = struct.unpack_from("<Q", data, 0x28)
    size, count, names_index = struct.unpack_from("<HHH", data, 0x3A)
    names_at = struct.unpack_from("<24xQ", data, offset + names_index * size)[0]
    names = []
    for i in range(count):
        (name,) = struct.unpack_from("<I", data, offset + i * size)
        names.append(data[names_at + name : data.index(0, names_at + name)].decode())
    found = [n for n in names if n == ".symtab" or n.startswith(".debug")]
    if found:
        left[str(path.relative_to(site))] = found
print(json.dumps(left))
"""


def test_compiled_extensions_carry_no_debug_symbols(engine: Engine, image: str) -> None:
    assert json.loads(python_in(engine, image, SYMBOL_TABLES_LEFT)) == {}


def test_test_suites_and_what_the_app_cannot_use_are_left_out(engine: Engine, image: str) -> None:
    left_out = (
        *("sqlalchemy.testing", "alembic.testing", "mako.testing"),
        *("sqlalchemy.dialects.mysql", "sqlalchemy.dialects.mssql", "sqlalchemy.dialects.oracle"),
        *("dns", "cffi", "pycparser"),
    )
    assert importable(engine, image, *left_out) == []


def test_bytecode_ships_for_the_modules_the_app_imports(engine: Engine, image: str) -> None:
    # The builder imported the first three; the app never imports the last (a SQLAlchemy
    # extension it does not use), so its bytecode is left out. Its source stays: it still imports.
    modules = (
        "sqlalchemy.orm.session",
        "psycopg.connection",
        "uvicorn.protocols.http.h11_impl",
        "sqlalchemy.ext.hybrid",
    )
    code = (
        "import importlib.util as u, json, os; "
        f"print(json.dumps([os.path.isfile(u.find_spec(m).cached) for m in {modules}]))"
    )
    assert json.loads(python_in(engine, image, code)) == [True, True, True, False]


def test_image_runs_as_a_fixed_unprivileged_user(engine: Engine, image: str) -> None:
    user = engine("image", "inspect", "--format", "{{.Config.User}}", image).strip()
    assert user == f"{UID}:{UID}"


def test_image_probes_health_live(engine: Engine, image: str) -> None:
    healthcheck = json.loads(
        engine("image", "inspect", "--format", "{{json .Config.Healthcheck}}", image)
    )
    assert healthcheck["Test"][0] == "CMD"
    assert "/health/live" in healthcheck["Test"][-1]


def test_runtime_environment_has_no_packaging_tools(engine: Engine, image: str) -> None:
    assert importable(engine, image, "pip", "setuptools", "wheel") == []


def test_uvicorn_comes_without_its_optional_extras(engine: Engine, image: str) -> None:
    extras = ("uvloop", "httptools", "websockets", "watchfiles", "yaml")
    assert importable(engine, image, *extras) == []


def test_only_the_app_is_copied_from_the_working_tree(engine: Engine, image: str) -> None:
    listing = python_in(engine, image, "import os; print(sorted(os.listdir('/app')))")
    assert listing == "['final_app']"


def test_app_bytecode_is_compiled_into_the_image(engine: Engine, image: str) -> None:
    # find_spec locates the module without running it (running it needs a secret key).
    code = (
        "import importlib.util as u, os; "
        "print(os.path.isfile(u.find_spec('final_app.main').cached))"
    )
    assert python_in(engine, image, code) == "True"


IMPORT_THE_APP = (
    "import time; started = time.perf_counter(); import final_app.main; "
    "print(time.perf_counter() - started)"
)
# As root, in a throwaway container: the image as it would be without its bytecode.
DROP_SHIPPED_BYTECODE = "find /opt/venv /app -name __pycache__ -prune -exec rm -rf {} +"


def import_seconds(engine: Engine, image: str, secret_key: str, before: str = "true") -> float:
    """The fastest of three fresh containers importing the app (it builds the app on import)."""
    secret = ("-e", f"REPAIRDESK_SECRET_KEY={secret_key}")
    script = f'{before} && python -c "{IMPORT_THE_APP}"'
    runs = [
        engine("run", "--rm", *engine.run_flags, *secret, "--user", "0", image, "sh", "-c", script)
        for _ in range(3)
    ]
    return min(float(output.strip()) for output in runs)


def test_shipped_bytecode_makes_the_app_import_faster(
    engine: Engine, image: str, secret_key: str, figures: Figures
) -> None:
    with_bytecode = import_seconds(engine, image, secret_key)
    # PYTHONDONTWRITEBYTECODE keeps it from writing any back: every start compiles again.
    without = import_seconds(engine, image, secret_key, before=DROP_SHIPPED_BYTECODE)
    figures.values["import_with_bytecode_s"] = with_bytecode
    figures.values["import_without_bytecode_s"] = without
    assert with_bytecode < without


def test_image_refuses_to_start_with_the_development_secret(
    engine: Engine, image: str, resources: Resources, figures: Figures
) -> None:
    name = resources.container(unique_name())
    engine("run", "--name", name, *engine.run_flags, image, check=False, timeout=60)
    logs = engine.logs(name)
    figures.transcripts["refused"] = last_exception(logs)
    assert engine("inspect", "--format", "{{.State.ExitCode}}", name).strip() != "0"
    assert "REPAIRDESK_SECRET_KEY must be set" in logs


def start_and_stop(
    engine: Engine, image: str, resources: Resources, secret_key: str, *command: str
) -> tuple[float, str]:
    """Start a container, wait until it serves, stop it: (seconds the stop took, exit code)."""
    name = resources.container(unique_name())
    port = free_port()
    secret = ["-e", f"REPAIRDESK_SECRET_KEY={secret_key}"]
    engine("run", "--detach", "--name", name, *engine.run_flags, *secret,
           "-p", f"127.0.0.1:{port}:8000", image, *command)  # fmt: skip
    wait_until_live(engine, name, f"http://127.0.0.1:{port}")
    started = time.perf_counter()
    engine("stop", "--time", str(STOP_TIMEOUT_S), name, timeout=60)
    seconds = time.perf_counter() - started
    return seconds, engine("inspect", "--format", "{{.State.ExitCode}}", name).strip()


def test_container_stops_cleanly_on_sigterm(
    engine: Engine, image: str, resources: Resources, secret_key: str
) -> None:
    # The exec-form CMD makes uvicorn process 1: the engine's SIGTERM reaches it.
    seconds, exit_code = start_and_stop(engine, image, resources, secret_key)
    assert (seconds < STOP_TIMEOUT_S, exit_code) == (True, "0")


def test_shell_form_command_is_killed_instead(
    engine: Engine, image: str, resources: Resources, secret_key: str
) -> None:
    # The blog post's `CMD uvicorn ...` runs as `/bin/sh -c`: the shell is process 1, ignores
    # SIGTERM, and the engine kills everything when the stop timeout runs out.
    shell_form = ("/bin/sh", "-c", "uvicorn final_app.main:app")
    seconds, exit_code = start_and_stop(engine, image, resources, secret_key, *shell_form)
    assert (seconds >= STOP_TIMEOUT_S, exit_code) == (True, "137")
