"""RepairDesk, lesson 08: the app a server runs, now with users, tokens and roles.

`uvicorn lessons.lesson_08_security.app:app` imports this module; the settings come from
`REPAIRDESK_*` variables and `.env`. Apply the migrations and create a user first:
`python -m lessons.lesson_08_security migrate`, then `... create-user ada@example.com`.
"""

from .config import load_settings
from .main import create_app

app = create_app(load_settings())
