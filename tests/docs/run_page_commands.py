"""Run every command the pages show, as written, in a fresh clone: `nox -s page-commands`.

    python -m tests.docs.run_page_commands [--keep] [--logs DIR] [PAGE ...]

The clone is of the working tree's HEAD (commit your changes first), in a temporary folder.
The commands run there in course order (tests/docs/page_commands.py reads them), each in
`bash -c`, as a learner who followed the README's quick start and activated `.venv` runs them:
`.venv/bin` first on the PATH, and nothing of the machine's CI set-up in the environment
(no CI, TEST_DATABASE_URL or REPAIRDESK_* variables; a page that wants one sets it). What a
command exports stays set for the rest of its page, as in one terminal; each page starts afresh.

The README's quick start comes first, always: it makes `.venv`. A command that serves (`nox -s
serve`, `uvicorn`, ...) starts in the background; the runner waits until its port answers
HTTP, runs the page's next commands (its curl requests among them) while it serves, and stops
it with Ctrl+C (SIGINT) before the page's next server or at the end of the page. A server that
logs a traceback fails. Every command has a time limit. A failure names the page and line,
and shows the end of the output; every command's whole output is kept in the log folder.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from tests.docs.page_commands import ROOT, Command, extract

COMMAND_TIMEOUT = 600.0  # seconds, unless the command's expectation says otherwise
SERVER_TIMEOUT = 600.0  # the first server also makes .venv and the serve environment
PORT_TIMEOUT = 60.0  # for a port another program holds to be freed
TAIL = 40  # lines of output a failure shows
# Variables a learner's fresh terminal does not have: CI's set-up, and any virtualenv's.
DROPPED = re.compile(r"^(CI|TEST_DATABASE_URL|PORT|VIRTUAL_ENV|CONDA_.*|PYTHON(HOME|PATH)|NOX_.*)$")
DROPPED_PREFIX = "REPAIRDESK_"
SHELL_NOISE = frozenset({"_", "SHLVL", "PWD", "OLDPWD"})


@dataclass
class Outcome:
    command: Command
    ok: bool
    seconds: float
    detail: str
    log: Path | None = None

    def tail(self) -> str:
        if self.log is None or not self.log.exists():
            return ""
        lines = self.log.read_text(errors="replace").splitlines()
        return "\n".join(lines[-TAIL:])


@dataclass
class Server:
    command: Command
    process: subprocess.Popen[bytes]
    log: Path
    outcome: Outcome


@dataclass
class Runner:
    clone: Path
    logs: Path
    base_environment: dict[str, str]
    outcomes: list[Outcome] = field(default_factory=list)
    server: Server | None = None
    count: int = 0

    def run_page(self, commands: list[Command], total: int) -> None:
        environment = dict(self.base_environment)
        try:
            for command in commands:
                self.count += 1
                print(f"[{self.count:>3}/{total}] {command.where}  {command.one_line}", flush=True)
                if command.is_server:
                    outcome = self.start(command, environment)
                elif command.is_request and not self.serving():
                    outcome = Outcome(command, False, 0.0, "no server of this page is running")
                else:
                    outcome = self.run(command, environment)
                print(f"        {'ok' if outcome.ok else 'FAILED'}: {outcome.detail}", flush=True)
                self.outcomes.append(outcome)
        finally:
            self.stop()

    def log_for(self, command: Command) -> Path:
        slug = re.sub(r"[^\w.-]+", "-", command.where)
        return self.logs / f"{self.count:03d}-{slug}.log"

    def run(self, command: Command, environment: dict[str, str]) -> Outcome:
        expectation = command.expectation
        status = expectation.status if expectation else 0
        timeout = (expectation.timeout if expectation else None) or COMMAND_TIMEOUT
        stdin = expectation.stdin if expectation else None
        log, saved = self.log_for(command), self.logs / "environment"
        # After the command, the shell's variables are saved: what it exported is set for the
        # page's next commands.
        script = (
            f'{command.text}\n__status=$?\nenv -0 > {shlex.quote(str(saved))}\nexit "$__status"'
        )
        started = time.monotonic()
        with log.open("wb") as output:
            process = subprocess.Popen(
                ["bash", "-c", script],
                cwd=self.clone,
                env=environment,
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                process.communicate(stdin.encode() if stdin is not None else None, timeout)
            except subprocess.TimeoutExpired:
                stop_group(process, signal.SIGKILL)
                process.wait()
                elapsed = time.monotonic() - started
                return Outcome(command, False, elapsed, f"still running after {timeout:g} s", log)
            finally:
                stop_group(process, signal.SIGKILL)  # whatever it left running
        elapsed = time.monotonic() - started
        if saved.exists():
            environment.clear()
            environment.update(read_environment(saved))
            saved.unlink()
        if process.returncode != status:
            detail = f"exit status {process.returncode}, expected {status}"
            return Outcome(command, False, elapsed, detail, log)
        wanted = expectation.output if expectation else None
        if wanted and not re.search(wanted, log.read_text(errors="replace")):
            detail = f"its output does not match {wanted!r}"
            return Outcome(command, False, elapsed, detail, log)
        return Outcome(command, True, elapsed, f"exit status {status} in {elapsed:.1f} s", log)

    def start(self, command: Command, environment: dict[str, str]) -> Outcome:
        self.stop()
        port = command.port
        if not wait_until(lambda: not answers(port), PORT_TIMEOUT):
            return Outcome(command, False, 0.0, f"port {port} is held by another program")
        log = self.log_for(command)
        started = time.monotonic()
        with log.open("wb") as output:
            process = subprocess.Popen(
                ["bash", "-c", command.text],
                cwd=self.clone,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        serving = wait_until(lambda: process.poll() is not None or answers(port), SERVER_TIMEOUT)
        elapsed = time.monotonic() - started
        if not serving or process.poll() is not None:
            stop_group(process, signal.SIGKILL)
            process.wait()
            why = (
                f"exited with status {process.returncode} before serving"
                if serving
                else f"port {port} did not answer within {SERVER_TIMEOUT:g} s"
            )
            return Outcome(command, False, elapsed, why, log)
        outcome = Outcome(command, True, elapsed, f"serving on :{port} after {elapsed:.1f} s", log)
        self.server = Server(command, process, log, outcome)
        return outcome

    def serving(self) -> bool:
        return self.server is not None and self.server.process.poll() is None

    def stop(self) -> None:
        """Ctrl+C for the server, as a learner stops it; then what it logged is checked."""
        server, self.server = self.server, None
        if server is None:
            return
        if server.process.poll() is not None:
            server.outcome.ok = False
            server.outcome.detail += f"; then it exited with status {server.process.returncode}"
        else:
            for sig, grace in ((signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
                stop_group(server.process, sig)
                with suppress(subprocess.TimeoutExpired):
                    server.process.wait(grace)
                    break
        stop_group(server.process, signal.SIGKILL)  # whatever of its group outlived it
        if "Traceback (most recent call last)" in server.log.read_text(errors="replace"):
            server.outcome.ok = False
            server.outcome.detail += "; it logged a traceback"
        if not server.outcome.ok:
            print(f"        FAILED after all: {server.command.where}: {server.outcome.detail}")


def stop_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def answers(port: int) -> bool:
    """Whether an HTTP server answers on the loopback port, whatever its status."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return bool(condition())


def read_environment(path: Path) -> dict[str, str]:
    pairs = (entry.split("=", 1) for entry in path.read_bytes().decode().split("\0") if entry)
    return {name: value for name, value in pairs if name not in SHELL_NOISE}


def learner_environment(clone: Path) -> dict[str, str]:
    """This process's environment as a fresh, activated terminal in the clone would have it."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not DROPPED.match(name) and not name.startswith(DROPPED_PREFIX)
    }
    # No other virtualenv's bin (nox's own, this session's, an activated one) on the PATH.
    path = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and not (Path(entry).parent / "pyvenv.cfg").exists()
    ]
    environment["PATH"] = os.pathsep.join([str(clone / ".venv" / "bin"), *path])
    return environment


def clone_head(into: Path) -> str:
    commit = git("rev-parse", "HEAD", cwd=ROOT)
    git("clone", "--quiet", "--no-checkout", str(ROOT), str(into), cwd=ROOT)
    git("checkout", "--quiet", commit, cwd=into)
    return commit


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.rstrip()


def minutes(seconds: float) -> str:
    return f"{int(seconds // 60)} min {seconds % 60:04.1f} s"


def report(runner: Runner, skipped: list[Command], left_out: int, elapsed: float) -> int:
    failed = [outcome for outcome in runner.outcomes if not outcome.ok]
    print("\n" + "=" * 100)
    for outcome in failed:
        print(f"\nFAILED {outcome.command.where}: {outcome.detail}\n$ {outcome.command.one_line}")
        if outcome.log:
            print(f"--- the end of its output ({outcome.log}) ---\n{outcome.tail()}")
    reasons: dict[str, list[str]] = {}
    for command in skipped:
        reasons.setdefault(command.skip or "", []).append(command.where)
    if reasons:
        print("\nNot run, as the pages' markers say:")
    for reason, places in reasons.items():
        where = ", ".join(dict.fromkeys(places))
        print(f"  {len(places)} command{'s' * (len(places) > 1)} at {where}: {reason}")
    per_page: dict[str, float] = {}
    for outcome in runner.outcomes:
        per_page[outcome.command.page] = per_page.get(outcome.command.page, 0) + outcome.seconds
    print("\nTime per page (commands and server start-ups):")
    for page, seconds in per_page.items():
        print(f"  {minutes(seconds):>14}  {page}")
    ran = len(runner.outcomes)
    print(
        f"\n{ran + len(skipped)} commands: {ran - len(failed)} ran as written, {len(failed)} "
        f"failed, {len(skipped)} not run (marked); {left_out} generated transcripts left out. "
        f"{minutes(elapsed)} in all."
    )
    return 1 if failed else 0


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="only these pages (the quick start runs first)")
    parser.add_argument("--keep", action="store_true", help="keep the clone, and say where")
    parser.add_argument("--logs", type=Path, help="where each command's output goes")
    args = parser.parse_args(arguments)
    # Stopped from outside (a CI timeout), stop what runs too: every command has its own
    # process group, which no signal to this process reaches.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    started = time.monotonic()
    workspace = Path(tempfile.mkdtemp(prefix="page-commands-"))
    clone = workspace / "course"
    print(f"Cloning {ROOT.name} at {clone_head(clone)[:12]} into {clone}")
    extraction = extract(clone)
    if extraction.problems:
        print("The pages' commands cannot be read:", *extraction.problems, sep="\n  ")
        return 2
    wanted = {Path(page).as_posix() for page in args.pages}
    unknown = wanted - {command.page for command in extraction.commands}
    if unknown:
        print(f"No commands on {', '.join(sorted(unknown))}")
        return 2
    quick_start = extraction.commands[0]  # README.md's first: it makes .venv
    assert quick_start.page == "README.md", quick_start
    selected = [c for c in extraction.commands if not wanted or c.page in wanted]
    if quick_start not in selected:
        selected.insert(0, quick_start)
    to_run = [command for command in selected if command.skip is None]
    skipped = [command for command in selected if command.skip is not None]
    logs = (args.logs or workspace / "logs").resolve()
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    runner = Runner(clone, logs, learner_environment(clone))
    pages = list(dict.fromkeys(command.page for command in to_run))
    try:
        for page in pages:
            runner.run_page([c for c in to_run if c.page == page], len(to_run))
        changed = git("status", "--short", cwd=clone)
        print(
            "\nWhat the commands changed in the clone (git status):", changed or "nothing", sep="\n"
        )
    finally:
        runner.stop()
        if not args.keep:
            shutil.rmtree(clone, ignore_errors=True)
        else:
            print(f"The clone is kept in {clone}")
    left_out = sum(1 for item in extraction.left_out if not wanted or item.page in wanted)
    status = report(runner, skipped, left_out, time.monotonic() - started)
    print(f"Each command's output: {logs}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
