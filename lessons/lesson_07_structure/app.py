"""RepairDesk, lesson 07: the app a server runs, built by the factory from the environment.

`uvicorn lessons.lesson_07_structure.app:app` imports this module; the settings come from
`REPAIRDESK_*` variables and `.env`. Apply the migrations first:
`python -m lessons.lesson_07_structure migrate`.
"""

from .config import load_settings
from .main import create_app

app = create_app(load_settings())
