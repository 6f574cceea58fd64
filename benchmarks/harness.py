"""The shared benchmark harness: serve an ASGI app, put it under load, write the results.

A benchmark script is a few calls:

    from benchmarks import harness

    with harness.serve("lessons.lesson_06_async.app:app", env={"DATABASE_URL": url}) as server:
        result = harness.measure(
            server.url("/tickets"), concurrency=50, duration=5.0, headers={"X-API-Key": key}
        )

    runs = {"def + Session": [result, ...], ...}    # variant -> one result per concurrency
    machine = harness.machine_info()                # cpu count, python, date, load generator
    harness.write_json(path, {"machine": machine, "runs": harness.runs_as_dicts(runs)})
    harness.plot(runs, png_path, title="...")       # throughput and p99 against concurrency
    table = harness.markdown_table(runs)            # the same figures for a docs page
    caption = harness.machine_summary(machine)      # "Measured <date> on 2 CPUs (...), ..."

Also: `median_run()` picks the median of repeated runs, `runs_from_dicts()` reads a saved JSON
back (to redraw without re-measuring), `probe()` sends one bounded GET, `wrk_available()`
says which load generator `measure()` will use.

`serve()` starts uvicorn with one worker on a free 127.0.0.1 port in a subprocess (its own process
group), waits until a GET on `ready_path` answers 2xx, and always stops it on the way out, killing
it if it no longer answers signals (a blocked event loop does not). `measure()` drives a URL with
wrk when it is installed (`apt-get install wrk`) and otherwise with the raw asyncio HTTP/1.1
keep-alive client below; both are bounded in time and report requests/s, latency percentiles,
errors and timeouts in the same `LoadResult`.

Two traps this module avoids on purpose:

- httpx is not a load generator: it saturates far below what a FastAPI server serves, so a
  benchmark driven by it measures the client. wrk or the raw client here do not.
- uvicorn's access log is off unless asked for (`access_log=True`), and then it is really on:
  with `--log-level warning` uvicorn drops access-log lines silently, so a run "with logging"
  would measure nothing. The server's output goes to a file, never to a pipe nobody reads
  (a full pipe blocks the server).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]

Tool = Literal["auto", "wrk", "asyncio"]


# --- the server ------------------------------------------------------------------------------


class ServerError(RuntimeError):
    """The app did not start or did not become ready; the message holds the end of its log."""


@dataclasses.dataclass(frozen=True)
class Server:
    """A running uvicorn process, as `serve()` hands it out."""

    app: str
    host: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def log(self) -> str:
        """What the server printed so far (startup messages, tracebacks, access log if on)."""
        return self.log_path.read_text(errors="replace")


PORT_ATTEMPTS = 3  # a port found free can be taken before uvicorn binds it


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(
    app: str,
    *,
    env: Mapping[str, str] | None = None,
    ready_path: str = "/health",
    startup_timeout: float = 30.0,
    access_log: bool = False,
    uvicorn_args: Sequence[str] = (),
    cwd: Path = ROOT,
    host: str = "127.0.0.1",
    stop_grace: float = 5.0,
) -> Iterator[Server]:
    """Run `app` ("package.module:attribute") under uvicorn, one worker, until the block ends.

    `env` is added to this process's environment. The server is stopped whatever happens in the
    block: SIGTERM first, SIGKILL to its whole process group if it is still there `stop_grace`
    seconds later (a server whose event loop is blocked never gets to handle SIGTERM).
    """
    log_dir = Path(tempfile.mkdtemp(prefix="bench-server-"))
    logging_args = ["--log-level", "info", "--access-log"] if access_log else ["--no-access-log"]
    try:
        for attempt in range(1, PORT_ATTEMPTS + 1):
            port = free_port(host)
            log_path = log_dir / f"uvicorn-{attempt}.log"
            command = [
                sys.executable, "-m", "uvicorn", app,
                "--host", host, "--port", str(port), "--workers", "1",
                *logging_args, *uvicorn_args,
            ]  # fmt: skip
            with log_path.open("wb") as log_file:
                process = subprocess.Popen(
                    command,
                    cwd=cwd,
                    env={**os.environ, **(env or {})},
                    stdin=subprocess.DEVNULL,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: stop() reaches any child
                )
            server = Server(app=app, host=host, port=port, process=process, log_path=log_path)
            try:
                _wait_until_ready(server, ready_path, startup_timeout)
            except ServerError:
                stop(server.process, stop_grace)
                # The free port was taken by someone else before uvicorn bound it: try another.
                if "address already in use" in server.log().lower() and attempt < PORT_ATTEMPTS:
                    continue
                raise
            try:
                yield server
            finally:
                stop(server.process, stop_grace)
            return
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)


def stop(process: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """Stop a process started in its own session: SIGTERM, then SIGKILL to the group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the group, server included
        else:  # Windows has no process groups to signal
            process.kill()
    process.wait(timeout=5)


def _wait_until_ready(server: Server, ready_path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerError(
                f"{server.app} exited with {server.process.returncode}:\n{_tail(server)}"
            )
        status = probe(server.host, server.port, ready_path, timeout=1.0)
        if status is not None and 200 <= status < 300:
            return
        time.sleep(0.1)
    raise ServerError(
        f"{server.app} not ready on {ready_path} after {timeout:.0f} s:\n{_tail(server)}"
    )


def _tail(server: Server, lines: int = 30) -> str:
    return "\n".join(server.log().splitlines()[-lines:])


def probe(host: str, port: int, path: str, timeout: float) -> int | None:
    """One GET with a hard timeout; the status code, or None if nothing came back in time."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            get = _Request.build(f"http://{host}:{port}{path}", None, None)
            sock.sendall(_request_bytes(get, host, port, path))
            head = sock.recv(64)
    except OSError:
        return None
    match = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return int(match.group(1)) if match else None


# --- the load ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LoadResult:
    """One load run against one URL at one concurrency.

    Latency percentiles cover the requests that completed; `errors` counts connection failures
    and non-2xx answers, `timeouts` requests that got no answer within the client timeout.
    wrk counts those only at its periodic check (every 2 s), so a short wrk run against a server
    that answers nothing can report no timeout at all: `requests == 0` (and no percentiles) is
    what says the server answered nothing.
    """

    tool: str
    url: str
    concurrency: int
    duration_s: float
    requests: int
    requests_per_second: float
    p50_ms: float | None
    p90_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    errors: int
    timeouts: int


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def measure(
    url: str,
    *,
    concurrency: int,
    duration: float = 5.0,
    timeout: float = 5.0,
    tool: Tool = "auto",
    headers: Mapping[str, str] | None = None,
    json_body: Any = None,
) -> LoadResult:
    """Keep `concurrency` keep-alive connections busy with GET `url` for `duration` seconds.

    Bounded: it returns after about `duration + timeout` seconds whatever the server does.
    `tool="auto"` uses wrk when installed, else the built-in asyncio client. `headers` are sent
    with every request (an API key, say). With `json_body`, every request is a POST of it.
    """
    request = _Request.build(url, headers, json_body)
    if tool == "wrk" or (tool == "auto" and wrk_available()):
        return _measure_with_wrk(request, concurrency, duration, timeout)
    return asyncio.run(_measure_with_asyncio(request, concurrency, duration, timeout))


@dataclasses.dataclass(frozen=True)
class _Request:
    """The one request a load run repeats."""

    url: str
    method: str
    headers: dict[str, str]
    body: bytes

    @classmethod
    def build(cls, url: str, headers: Mapping[str, str] | None, json_body: Any) -> _Request:
        if json_body is None:
            return cls(url, "GET", dict(headers or {}), b"")
        body = json.dumps(json_body).encode()
        return cls(url, "POST", {**(headers or {}), "Content-Type": "application/json"}, body)


# wrk reports through a Lua `done` hook: one JSON line, latencies in microseconds.
_WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def _measure_with_wrk(
    request: _Request, concurrency: int, duration: float, timeout: float
) -> LoadResult:
    header_args = [
        arg for name, value in request.headers.items() for arg in ("-H", f"{name}: {value}")
    ]
    # wrk takes a POST's method and body from its Lua script only. The body is ASCII JSON, so
    # json.dumps quotes it with the escapes Lua knows too (\" and \\).
    post = f'wrk.method = "POST"\nwrk.body = {json.dumps(request.body.decode())}\n'
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write((post if request.body else "") + _WRK_REPORT)
    try:
        # One wrk thread keeps hundreds of connections busy and leaves the other cores to the
        # server: on a small machine, more wrk threads would steal the server's CPU.
        completed = subprocess.run(
            ["wrk", "-t", "1", "-c", str(concurrency), "-d", f"{max(1, round(duration))}s",
             "--timeout", f"{max(1, round(timeout))}s", "-s", script.name, *header_args,
             request.url],
            capture_output=True,
            text=True,
            timeout=duration + timeout + 30,
            check=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    line = next((ln for ln in completed.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no report:\n{completed.stdout}\n{completed.stderr}")
    report = json.loads(line.removeprefix("WRK_JSON "))
    seconds = report["duration_us"] / 1e6
    answered = report["requests"] > 0

    def ms(key: str) -> float | None:
        return round(report[key] / 1000, 2) if answered else None

    return LoadResult(
        tool="wrk",
        url=request.url,
        concurrency=concurrency,
        duration_s=round(seconds, 2),
        requests=report["requests"],
        requests_per_second=round(report["requests"] / seconds, 1),
        p50_ms=ms("p50_us"),
        p90_ms=ms("p90_us"),
        p99_ms=ms("p99_us"),
        max_ms=ms("max_us"),
        errors=report["connect"] + report["read"] + report["write"] + report["status"],
        timeouts=report["timeout"],
    )


def _request_bytes(request: _Request, host: str, port: int, path: str) -> bytes:
    lines = [f"{request.method} {path} HTTP/1.1", f"Host: {host}:{port}", "User-Agent: bench"]
    lines += [f"{name}: {value}" for name, value in request.headers.items()]
    if request.body:
        lines.append(f"Content-Length: {len(request.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + request.body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; its status, and whether the server keeps the connection."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in header_lines if line)
    }
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    else:
        await reader.read()  # the body runs until the server closes
        return status, False
    return status, headers.get("connection", "").lower() != "close"


async def _measure_with_asyncio(
    request: _Request,
    concurrency: int,
    duration: float,
    timeout: float,  # noqa: ASYNC109 - a per-request timeout, applied to each read below
) -> LoadResult:
    parsed = urllib.parse.urlsplit(request.url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    path = (parsed.path or "/") + (f"?{parsed.query}" if parsed.query else "")
    request_bytes = _request_bytes(request, host, port, path)
    latencies: list[float] = []
    errors = timeouts = 0
    started = time.perf_counter()
    deadline = started + duration

    async def connection() -> None:
        nonlocal errors, timeouts
        stream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while time.perf_counter() < deadline:
            keep_alive = False
            try:
                if stream is None:
                    stream = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
                reader, writer = stream
                sent = time.perf_counter()
                writer.write(request_bytes)
                status, keep_alive = await asyncio.wait_for(_read_response(reader), timeout)
            except TimeoutError:
                timeouts += 1
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                errors += 1
            else:
                latencies.append(time.perf_counter() - sent)
                if not 200 <= status < 300:
                    errors += 1
            if not keep_alive and stream is not None:
                stream[1].close()  # a fresh connection for the next request
                stream = None
        if stream is not None:
            stream[1].close()

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(fraction: float) -> float | None:
        if not latencies:
            return None
        index = min(len(latencies) - 1, round(fraction * (len(latencies) - 1)))
        return round(latencies[index] * 1000, 2)

    return LoadResult(
        tool="asyncio",
        url=request.url,
        concurrency=concurrency,
        duration_s=round(elapsed, 2),
        requests=len(latencies),
        requests_per_second=round(len(latencies) / elapsed, 1),
        p50_ms=percentile(0.50),
        p90_ms=percentile(0.90),
        p99_ms=percentile(0.99),
        max_ms=percentile(1.0),
        errors=errors,
        timeouts=timeouts,
    )


# --- the results -------------------------------------------------------------------------------

Runs = Mapping[str, Sequence[LoadResult]]  # variant name -> its results, by rising concurrency


def machine_info(
    packages: Sequence[str] = ("fastapi", "starlette", "uvicorn", "sqlalchemy"),
) -> dict[str, Any]:
    """Where and when the figures were made: a page quotes this beside them."""
    wrk_version = None
    if wrk_available():
        banner = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        wrk_version = (banner.stdout or banner.stderr).split("Copyright")[0].strip() or None
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
        # Other work on the machine skews the figures: say how busy it was when they were made.
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "load_generator": wrk_version or "built-in asyncio client",
        "packages": {name: _version(name) for name in packages},
    }


def machine_summary(machine: Mapping[str, Any]) -> str:
    """One sentence for a page: when, on what, with which versions (from `machine_info()`)."""
    versions = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    load = machine.get("load_average_1min")
    return (
        f"Measured {machine['date']} on {machine['cpu_count']} CPUs ({machine['cpu_model']}), "
        f"{machine['system']}, Python {machine['python']}, {versions}; "
        f"load generator: {machine['load_generator']}"
        + (f"; load average before the run: {load}." if load is not None else ".")
    )


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def median_run(results: Sequence[LoadResult]) -> LoadResult:
    """Of repeated runs, the one with the median throughput (its latencies come with it)."""
    ranked = sorted(results, key=lambda result: result.requests_per_second)
    return ranked[(len(ranked) - 1) // 2]


def runs_as_dicts(runs: Runs) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [dataclasses.asdict(result) for result in results] for name, results in runs.items()
    }


def runs_from_dicts(data: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, list[LoadResult]]:
    """The inverse of `runs_as_dicts`: redraw a plot or a table from a saved JSON file."""
    return {name: [LoadResult(**result) for result in results] for name, results in data.items()}


def write_json(path: Path, payload: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n")


def plot(runs: Runs, path: Path, *, title: str, references: Sequence[str] = ()) -> None:
    """A PNG with two panels against concurrency, one line per variant: requests/s and p99.

    A run that answered nothing has no p99: its point is left out of the latency panel
    and marked on the throughput panel at zero. Variants named in `references` (a baseline,
    a ceiling) are drawn dashed and grey, to be read as a yardstick rather than a contender.
    """
    import matplotlib  # imported here: only the benchmark sessions install it

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, NullLocator

    figure, (throughput, latency) = plt.subplots(1, 2, figsize=(11, 5), layout="constrained")
    levels: set[int] = set()
    for name, results in runs.items():
        levels.update(r.concurrency for r in results)
        style: dict[str, Any] = {"marker": "o"}
        if name in references:
            style |= {"linestyle": "--", "color": "grey"}
        throughput.plot(
            [r.concurrency for r in results],
            [r.requests_per_second for r in results],
            label=name,
            **style,
        )
        answered = [r for r in results if r.p99_ms is not None]
        latency.plot([r.concurrency for r in answered], [r.p99_ms for r in answered], **style)
    throughput.set(title="Throughput", xlabel="concurrent connections", ylabel="requests/s")
    throughput.set_ylim(bottom=0)
    latency.set(title="p99 latency of the requests answered", xlabel="concurrent connections")
    latency.set(ylabel="ms (log scale)", yscale="log")
    plain_numbers = FuncFormatter(lambda value, _: f"{value:g}")
    latency.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    latency.yaxis.set_major_formatter(plain_numbers)
    latency.yaxis.set_minor_formatter(NullFormatter())
    for axes in (throughput, latency):
        axes.set_xscale("log")
        axes.set_xticks(sorted(levels))  # the levels measured, as plain numbers
        axes.xaxis.set_major_formatter(plain_numbers)
        axes.xaxis.set_minor_locator(NullLocator())
        axes.grid(True, which="both", alpha=0.3)
    figure.legend(loc="outside lower center", ncols=2, frameon=False)
    figure.suptitle(title)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def markdown_table(runs: Runs) -> str:
    """The results as a Markdown table, one row per variant and concurrency.

    "answered" counts the requests that got a response during the run: 0 means the server
    stopped answering, whatever the timeout column says (see `LoadResult`).
    """

    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value:,.1f}"

    rows = [
        "| variant | connections | answered | requests/s | p50 (ms) | p99 (ms) | errors "
        "| timeouts |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, results in runs.items():
        rows += [
            f"| {name} | {r.concurrency} | {r.requests:,} | {r.requests_per_second:,.1f} "
            f"| {ms(r.p50_ms)} | {ms(r.p99_ms)} | {r.errors} | {r.timeouts} |"
            for r in results
        ]
    return "\n".join(rows) + "\n"
