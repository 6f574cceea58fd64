"""Run each lesson's example requests against its real app and write the transcripts.

A page's "Try it" section includes `.generated/examples/<lesson>.md`, or one exchange of it by
name (`--8<-- ".generated/examples/lesson_02_validation.md:create-a-ticket"`). Each exchange
is shown as the curl command a learner can paste and the response the app really gave, so a
page cannot show a 422 the app does not produce.
"""

import json
import logging
import re
import shlex
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from importlib import import_module
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

BASE_URL = "http://127.0.0.1:8000"
ClientFactory = Callable[[str], AbstractContextManager[TestClient]]


@contextmanager
def lesson_client(lesson: str) -> Iterator[TestClient]:
    """The default: the lesson's module-level `app`, with its lifespan running."""
    app = import_module(f"lessons.{lesson}.app").app
    with TestClient(app, base_url=BASE_URL) as client:
        yield client


@dataclass
class TryIt:
    """Records requests made through a lesson's client, for the page to show."""

    client: TestClient
    sections: list[str] = field(default_factory=list)

    def request(
        self,
        title: str,
        method: str,
        path: str,
        *,
        expect: int,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        show_response_headers: tuple[str, ...] = (),
    ) -> Response:
        """Send one request and record it; `expect` is the status the page's prose promises."""
        response = self.client.request(
            method, path, json=json_body, data=form, headers=headers or {}
        )
        if response.status_code != expect:
            # A lesson that regressed must break the build, not publish its 500 under prose
            # that describes a 201.
            raise UnexpectedStatusError(title, method, path, expect, response)
        command = curl_command(method, path, json_body, form, headers or {})
        self.sections.append(render(title, command, response, show_response_headers))
        return response

    def get(self, title: str, path: str, *, expect: int, **kwargs: Any) -> Response:
        return self.request(title, "GET", path, expect=expect, **kwargs)

    def post(self, title: str, path: str, *, expect: int, **kwargs: Any) -> Response:
        return self.request(title, "POST", path, expect=expect, **kwargs)


class UnexpectedStatusError(Exception):
    """A "Try it" request answered with another status than the scenario expects."""

    def __init__(
        self, title: str, method: str, path: str, expected: int, response: Response
    ) -> None:
        super().__init__(
            f"{title!r} ({method} {path}) expected {expected}, got {response.status_code}: "
            f"{response.text[:500]}"
        )


def curl_command(
    method: str, path: str, json_body: Any, form: dict[str, str] | None, headers: dict[str, str]
) -> str:
    parts = ["curl", "-i"]
    # curl sends GET, or POST when given a body: any other method must be named.
    implied = "GET" if json_body is None and form is None else "POST"
    if method != implied:
        parts += ["-X", method]
    parts.append(BASE_URL + path)
    lines = [" ".join(shlex.quote(p) for p in parts)]
    for name, value in headers.items():
        lines.append(f"-H {shlex.quote(f'{name}: {value}')}")
    if json_body is not None:
        lines.append("-H 'Content-Type: application/json'")
        lines.append(f"-d {shlex.quote(json.dumps(json_body))}")
    for name, value in (form or {}).items():
        lines.append(f"--data-urlencode {shlex.quote(f'{name}={value}')}")
    return " \\\n    ".join(lines)


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def render(title: str, command: str, response: Response, headers: tuple[str, ...]) -> str:
    status = HTTPStatus(response.status_code)
    head = [f"HTTP/1.1 {status.value} {status.phrase}"]
    head += [f"{name}: {response.headers[name]}" for name in headers if name in response.headers]
    if response.content:
        head.append(f"content-type: {response.headers['content-type']}")
    body = ""
    if response.content:
        try:
            body = "\n" + json.dumps(response.json(), indent=2, ensure_ascii=False)
        except ValueError:
            body = "\n" + response.text
    key = slug(title)
    return (
        f"<!-- --8<-- [start:{key}] -->\n"
        f"**{title}**\n\n"
        f"```console\n$ {command}\n```\n\n"
        f"```http\n" + "\n".join(head) + "\n" + body + "\n```\n"
        f"<!-- --8<-- [end:{key}] -->\n"
    )


def write_all(output: Path) -> list[Path]:
    from .scenarios import SCENARIOS

    output.mkdir(parents=True, exist_ok=True)
    written = []
    # The scenarios fail on purpose; the apps' own warnings about it are not news to the build.
    logging.disable(logging.WARNING)
    try:
        for lesson, (scenario, factory) in sorted(SCENARIOS.items()):
            with factory(lesson) as client:
                try_it = TryIt(client)
                try:
                    scenario(try_it)
                except UnexpectedStatusError as error:
                    error.add_note(f'in the "Try it" scenario of {lesson} (docsgen/scenarios.py)')
                    raise
            target = output / f"{lesson}.md"
            target.write_text("\n".join(try_it.sections))
            written.append(target)
    finally:
        logging.disable(logging.NOTSET)
    return written
