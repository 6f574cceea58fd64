"""What running several replicas needs, which the final app keeps from lesson 11.

Imported from tests/behaviours/, not written again: health probes (and readiness that answers
503 from SIGTERM on), request ids in responses and log lines, JSON logs, Prometheus metrics, and
`Idempotency-Key` on creates. They run on SQLite and PostgreSQL; the conftest gives them the
app's package, a way to build a second app (a second replica on the same database) and two
users.
"""

from tests.behaviours.health_probes import *  # noqa: F403
from tests.behaviours.idempotency import *  # noqa: F403
from tests.behaviours.json_logs import *  # noqa: F403
from tests.behaviours.metrics import *  # noqa: F403
from tests.behaviours.request_ids import *  # noqa: F403
