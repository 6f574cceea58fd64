"""Draining: from SIGTERM until the process exits, readiness answers 503.

An orchestrator or a deploy script stops a replica with SIGTERM. uvicorn then closes its
listening socket and lets the requests in flight finish; a proxy holding keep-alive connections,
or a probe already sent, still reaches the process meanwhile, and readiness must then say "not
me", or new work keeps arriving at a replica on its way out.

uvicorn installs its own SIGTERM handler (`Server.handle_exit`, which starts its shutdown)
before the app's lifespan starts. `Draining.on_sigterm` puts a handler in front of it that
notes the signal and then calls uvicorn's: the shutdown itself is unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

logger = logging.getLogger(__name__)


class Draining:
    """Whether this process has been asked to stop (`begun`), set once, never cleared."""

    def __init__(self) -> None:
        self.begun = False

    def begin(self) -> None:
        self.begun = True

    @contextmanager
    def on_sigterm(self) -> Iterator[None]:
        """While the block runs, SIGTERM begins draining, then reaches the previous handler.

        Only the main thread can handle signals, and only a handler written in Python can be
        chained: anywhere else (a test client runs the app in a thread of its own), nothing
        changes.
        """
        previous = signal.getsignal(signal.SIGTERM)
        if threading.current_thread() is not threading.main_thread() or not callable(previous):
            yield
            return
        loop = asyncio.get_running_loop()

        def begin_then_chain(signum: int, frame: FrameType | None) -> None:
            self.begin()
            # Logged from the event loop, not here: a signal handler interrupts whatever the
            # main thread was doing, a log call that holds the handler's lock included.
            loop.call_soon_threadsafe(logger.info, "SIGTERM: draining, readiness now answers 503")
            previous(signum, frame)

        signal.signal(signal.SIGTERM, begin_then_chain)
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, previous)
