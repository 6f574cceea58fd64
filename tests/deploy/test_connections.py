"""Connections add up: replicas x pool size + the migration fits under PostgreSQL's limit.

Each message shows the sum, term by term, whether it fits or not (`pytest -rP` prints both).
"""

from __future__ import annotations

from tests.deploy.connections import compose_budget, kubernetes_budget
from tests.deploy.manifests import Manifest


def test_compose_fits_postgresql() -> None:
    budget = compose_budget()
    print(budget)
    assert budget.used <= budget.available, str(budget)
    assert budget.app_processes >= 2, f"compose.yaml runs one app process: {budget}"


def test_kubernetes_fits_postgresql(rendered: list[Manifest]) -> None:
    budget = kubernetes_budget(rendered)
    print(budget)
    assert budget.used <= budget.available, str(budget)
