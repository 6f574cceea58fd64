"""RepairDesk, lesson 09: what uvicorn serves, as in every lesson since 07.

`python -m lessons.lesson_09_request_path migrate`, then
`uvicorn lessons.lesson_09_request_path.app:app`; the settings come from `REPAIRDESK_*`.
"""

from .main import app

__all__ = ["app"]
