"""Add two settings, validated.

--8<-- [start:task]
**Ticket RD-701.** Two values are hard-coded in the shop's code and should be settings. Add
them to the file's `Settings`: `max_page_size`, the most tickets one page may list, an integer
from 10 to 500, by default 100 (environment variable `REPAIRDESK_MAX_PAGE_SIZE`); and
`support_email`, the address customers are told to write to, which must be an email address, by
default `support@repairdesk.example` (`REPAIRDESK_SUPPORT_EMAIL`). A value out of range or not
an email must stop the app at start-up: building `Settings` raises a `ValidationError`. Give
each a `description`, as the lesson does.
--8<-- [end:task]
"""

from lessons.lesson_07_structure import config


class Settings(config.Settings):
    """The lesson's settings, and the two this ticket adds."""

    # TODO: add `max_page_size` and `support_email` (see the task above).
