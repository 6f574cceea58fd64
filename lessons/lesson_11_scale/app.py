"""RepairDesk, lesson 11: what uvicorn serves, as in every lesson since 07.

`python -m lessons.lesson_11_scale migrate`, then `uvicorn lessons.lesson_11_scale.app:app`;
the settings come from `REPAIRDESK_*`.
"""

from .main import app

__all__ = ["app"]
