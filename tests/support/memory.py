"""A server's memory, read from Linux's /proc, and how much a burst of logins may add to it.

Each Argon2 check fills a buffer (19 MiB at OWASP's cost) and frees it. glibc's malloc keeps the
freed buffer in the arena of the thread that used it, for that thread's next check, so what
stays resident grows with the number of threads that ever ran a check. The apps run them on
`threads` threads of their own: `argon2_ceiling` is what that bounds, with its margin stated.
"""

import os
from pathlib import Path

MiB = 1024 * 1024

# What 40 logins in flight hold besides Argon2, measured with the check stubbed out: about
# 10 MiB in lesson 08 (each login holds a threadpool thread for its query), 1 MiB from lesson
# 09 on (two database threads serve them all). Allowed: twice the larger.
REQUESTS = 20 * MiB
ARENAS_PER_CORE = 8  # glibc's limit on 64-bit systems, unless MALLOC_ARENA_MAX says otherwise


def memory(pid: int, field: str) -> int:
    """A figure of /proc/<pid>/status in bytes: VmRSS (resident now), VmHWM (the peak so far)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024  # reported in kB
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def thread_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def argon2_ceiling(baseline: int, *, threads: int, buffer: int, process_threads: int) -> int:
    """The most a process holding `baseline` bytes may hold at the peak of bursts of logins.

    A buffer for each of the `threads` Argon2 threads, the requests themselves, and room for
    fragmentation when the process has more threads than glibc makes arenas: an Argon2 thread
    then shares its arena with request threads, whose small allocations can land in a freed
    buffer, so that the next check takes fresh memory. Measured with 43 threads on 2 cores: at
    most one more buffer per Argon2 thread, after 25 bursts of 40 logins.
    """
    shared = process_threads > ARENAS_PER_CORE * (os.cpu_count() or 1)
    buffers = threads * (2 if shared else 1)
    return baseline + buffers * buffer + REQUESTS


def assert_peak_under_argon2_ceiling(pid: int, baseline: int, *, threads: int, buffer: int) -> None:
    """The running server's peak so far, held to `argon2_ceiling` for its threads now."""
    peak = memory(pid, "VmHWM")
    ceiling = argon2_ceiling(
        baseline, threads=threads, buffer=buffer, process_threads=thread_count(pid)
    )
    assert peak <= ceiling, (
        f"peak {peak / MiB:.0f} MiB, over {ceiling / MiB:.0f} MiB ({baseline / MiB:.0f} before)"
    )
