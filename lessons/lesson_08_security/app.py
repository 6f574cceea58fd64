"""RepairDesk, lesson 08: the app a server runs, now with users, tokens and roles.

`uvicorn lessons.lesson_08_security.app:app` imports this module; the settings come from
`REPAIRDESK_*` variables and `.env`. Apply the migrations first
(`python -m lessons.lesson_08_security migrate`); `REPAIRDESK_ADMIN_EMAIL` and
`REPAIRDESK_ADMIN_PASSWORD` create the first admin at start-up.
"""

from .config import load_settings
from .main import create_app

app = create_app(load_settings())
