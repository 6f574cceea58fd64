"""RepairDesk, lesson 10: the app this lesson puts in a container is the final app itself.

Lesson 09's app grew into `final_app/` (the same factory, settings, migrations, security and
services, plus what production adds: health probes, offline docs), and the repository's
`Dockerfile` and `compose.yaml` package that app. A copy here would only drift from what the
image really runs, so this module re-exports it: `uvicorn lessons.lesson_10_containers.app:app`
serves what the image serves.
"""

from final_app.main import app

__all__ = ["app"]
