"""Exercise 07.1, solved: two settings, each with a type, bounds or a format, and a default.

The type does the validating: `REPAIRDESK_MAX_PAGE_SIZE=5000` or `REPAIRDESK_SUPPORT_EMAIL=
support` stops the app at start-up with a message naming the variable.
"""

from pydantic import EmailStr, Field

from lessons.lesson_07_structure import config


class Settings(config.Settings):
    """The lesson's settings, and the two this ticket adds."""

    max_page_size: int = Field(
        default=100, ge=10, le=500, description="The most tickets one page may list."
    )
    support_email: EmailStr = Field(
        default="support@repairdesk.example",
        description="Where customers are told to write to.",
    )
