"""A server's memory, read from Linux's /proc, and how much a burst of logins may add to it.

Each Argon2 check fills a buffer (19 MiB at OWASP's cost) and frees it. glibc's malloc keeps the
freed buffer in the arena of the thread that used it, for that thread's next check, so what
stays resident grows with the number of threads that ever ran a check. The apps run them on
`threads` threads of their own: `argon2_ceiling` is what that bounds, with its margin stated.
"""

from pathlib import Path

MiB = 1024 * 1024

# What 40 logins in flight hold besides Argon2 (their requests, and the threadpool threads that
# run their queries): about 10 MiB, measured with the password check stubbed out; twice that.
REQUESTS = 20 * MiB


def memory(pid: int, field: str) -> int:
    """A figure of /proc/<pid>/status in bytes: VmRSS (resident now), VmHWM (the peak so far)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024  # reported in kB
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def argon2_ceiling(baseline: int, *, threads: int, buffer: int) -> int:
    """The most a process holding `baseline` bytes may hold at the peak of bursts of logins.

    A buffer per Argon2 thread, and a margin: the requests themselves, and up to one more buffer
    per Argon2 thread for fragmentation. glibc makes at most 8 arenas per core, so on a small
    machine the Argon2 threads share theirs with request threads, whose small allocations can
    land in a freed buffer; the next check then takes fresh memory. Measured on 2 cores: at most
    one more buffer per Argon2 thread, after 25 bursts of 40 logins.
    """
    return baseline + threads * buffer + REQUESTS + threads * buffer
