"""The blog post's Dockerfile, built and run: what lesson 10 says is wrong with it, shown.

The image is built from a temporary copy of lessons/lesson_10_containers/blog_post/, with an
`.env` planted beside the app as a developer's working tree would have one.
"""

from __future__ import annotations

import shutil
import time

import pytest

from tests.container.conftest import ROOT, Figures, size_mb, unique_name
from tests.container.engine import Engine, Resources

BLOG_POST = ROOT / "lessons" / "lesson_10_containers" / "blog_post"
BLOG_IMAGE = "repairdesk-blog-post:container-test"
PLANTED_SECRET = "SECRET_KEY=a-developers-real-secret"


@pytest.fixture(scope="module")
def blog_image(
    request: pytest.FixtureRequest,
    engine: Engine,
    figures: Figures,
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    context = tmp_path_factory.mktemp("blog-post")
    shutil.copytree(BLOG_POST, context, dirs_exist_ok=True)
    (context / ".env").write_text(PLANTED_SECRET + "\n")
    cold = ["--no-cache"] if request.config.getoption("--record-figures") else []
    started = time.perf_counter()
    engine("build", *engine.build_flags, *cold, "--tag", BLOG_IMAGE, str(context), timeout=900)
    figures.values["blog_build_s"] = time.perf_counter() - started
    figures.values["blog_image_size_mb"] = size_mb(engine, BLOG_IMAGE)
    return BLOG_IMAGE


def run(
    engine: Engine, resources: Resources, image: str, *command: str, options: tuple[str, ...] = ()
) -> tuple[int, str]:
    """Run a container to its end; return its exit code and what it printed."""
    name = resources.container(unique_name())
    engine("run", "--name", name, *engine.run_flags, *options, image, *command, check=False)
    exit_code = int(engine("inspect", "--format", "{{.State.ExitCode}}", name))
    return exit_code, engine.logs(name)


def test_blog_post_image_runs_as_root(
    engine: Engine, resources: Resources, blog_image: str
) -> None:
    assert run(engine, resources, blog_image, "id", "-u") == (0, "0\n")


def test_blog_post_image_bakes_in_the_developers_env_file(
    engine: Engine, resources: Resources, blog_image: str
) -> None:
    assert run(engine, resources, blog_image, "cat", "/app/.env") == (0, PLANTED_SECRET + "\n")


def test_blog_post_image_cannot_load_its_database_driver(
    engine: Engine, resources: Resources, blog_image: str, figures: Figures
) -> None:
    # psycopg2 was compiled against libpq-dev in the builder; libpq itself never reached
    # the runtime stage.
    exit_code, output = run(engine, resources, blog_image, "python", "-c", "import psycopg2")
    figures.transcripts["blog-post-psycopg2"] = output.strip().splitlines()[-1]
    assert (exit_code, "libpq.so.5" in output) == (1, True)


def test_blog_post_image_breaks_once_it_runs_as_another_user(
    engine: Engine, resources: Resources, blog_image: str
) -> None:
    # The packages are in /root/.local: no other user's Python looks there (or may read it).
    import_fastapi = ("python", "-c", "import fastapi")
    as_root, _ = run(engine, resources, blog_image, *import_fastapi)
    as_user, output = run(
        engine, resources, blog_image, *import_fastapi, options=("--user", "10001")
    )
    assert (as_root, as_user) == (0, 1)
    assert "No module named 'fastapi'" in output
