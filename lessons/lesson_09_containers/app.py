"""RepairDesk, lesson 09: the app this lesson puts in a container is the final app itself.

Lesson 08's app grew into `final_app/` (the same factory, settings, migrations and security,
plus health probes and offline docs), and the repository's `Dockerfile` and `compose.yaml`
package that app. A copy here would only drift from what the image really runs, so this
module re-exports it: `uvicorn lessons.lesson_09_containers.app:app` serves what the image serves.
"""

from final_app.main import app

__all__ = ["app"]
