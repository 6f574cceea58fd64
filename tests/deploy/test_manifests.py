"""deploy/k8s/ is valid Kubernetes, and agrees with the code it deploys.

Valid: every object, rendered by kustomize and file by file, passes the JSON schemas of each
Kubernetes release named below in strict mode (an unknown field is an error, not ignored).
Agrees: the probes ask routes the app has, on the port the image listens on, as the image's
user; every REPAIRDESK_* variable is a setting that accepts its value; secrets come from a
Secret; the objects point at each other; a stopped pod has time to finish its requests.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from final_app.__main__ import main as final_app_cli
from final_app.config import Settings
from final_app.main import app
from final_app.security import ARGON2_MEMORY_KIB
from tests.deploy.manifests import (
    COMPOSE_FILE,
    DOCKERFILE,
    K8S_DIR,
    Manifest,
    container_environment,
    dockerfile_env,
    dockerfile_exposed_ports,
    dockerfile_user,
    kustomization,
    listed_files,
    load_file,
    only,
    pod_templates,
    selects,
)

kubernetes_validate = pytest.importorskip(
    "kubernetes_validate", reason="kubernetes-validate is not installed: `nox -s manifests`"
)

# The three newest minor releases, the ones upstream Kubernetes supports; kubernetes-validate
# 1.37.0 (pyproject.toml's `manifests` group) ships their schemas.
KUBERNETES_VERSIONS = ["1.35.0", "1.36.0", "1.37.0"]

# Measured with SQLite: 110 MiB idle, 200 MiB at most under 450 concurrent sign-ins and
# readiness checks with 2 password threads, of which 2 x 19 MiB were Argon2's buffers.
PEAK_MIB_WITHOUT_ARGON2 = 200 - 2 * ARGON2_MEMORY_KIB // 1024
PREFIX = Settings.model_config["env_prefix"]


def api_deployment(rendered: list[Manifest]) -> Manifest:
    return only(rendered, "Deployment")


def api_container(rendered: list[Manifest]) -> Manifest:
    containers: list[Manifest] = api_deployment(rendered)["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, "one container per API pod"
    return containers[0]


def quantity_mib(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}
    for unit, factor in units.items():
        if quantity.endswith(unit):
            return float(quantity.removesuffix(unit)) * factor
    return float(quantity) / 2**20  # plain bytes


# --- valid Kubernetes -------------------------------------------------------------------------


def test_kustomization_lists_every_manifest_in_the_directory() -> None:
    on_disk = {path.name for path in K8S_DIR.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization()["resources"]) == on_disk


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_rendered_objects_are_valid_kubernetes(rendered: list[Manifest], version: str) -> None:
    kinds = {manifest["kind"] for manifest in rendered}
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"} <= kinds
    assert {"Job", "ConfigMap", "NetworkPolicy"} <= kinds
    for manifest in rendered:
        # Raises on an unknown field, a wrong type, or a kind/apiVersion with no schema.
        kubernetes_validate.validate(manifest, version, strict=True)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_each_file_is_valid_kubernetes_on_its_own(version: str) -> None:
    for path in listed_files():
        for manifest in load_file(path):
            kubernetes_validate.validate(manifest, version, strict=True)


def test_strict_validation_rejects_an_unknown_field(rendered: list[Manifest]) -> None:
    """The check above can fail: a misspelt field is an error, not silently dropped."""
    deployment = api_deployment(rendered)
    misspelt = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError, match="replica"):
        kubernetes_validate.validate(misspelt, KUBERNETES_VERSIONS[-1], strict=True)


# --- the image --------------------------------------------------------------------------------


def test_every_workload_runs_the_same_pinned_image(rendered: list[Manifest]) -> None:
    images = {
        container["image"]
        for _, template in pod_templates(rendered)
        for container in template["spec"]["containers"]
    }
    assert len(images) == 1, f"the API and the migration run different images: {images}"
    image = images.pop()
    name, _, tag = image.rpartition(":")
    assert "/" in name, f"{image}: no registry, kustomization.yaml's images: must set one"
    assert tag not in ("", "latest"), f"{image}: not pinned by a tag"
    assert "/" not in tag, f"{image}: not pinned by a tag"


def test_probes_ask_real_routes_on_the_images_port(rendered: list[Manifest]) -> None:
    container = api_container(rendered)
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    image_port = int(dockerfile_env()["UVICORN_PORT"])
    assert image_port in dockerfile_exposed_ports()
    # The app's own account of its routes, prefixes of included routers applied.
    get_paths = {path for path, item in app.openapi()["paths"].items() if "get" in item}
    assert "/health/live" in get_paths  # the routes were found at all
    probes = {kind: container.get(kind) for kind in ("livenessProbe", "readinessProbe")}
    probes["startupProbe"] = container.get("startupProbe")
    assert probes["livenessProbe"], "a liveness probe is required"
    assert probes["readinessProbe"], "a readiness probe is required"
    for kind, probe in probes.items():
        if probe is None:
            continue
        port = probe["httpGet"]["port"]
        assert ports.get(port, port) == image_port, f"{kind} asks port {port}"
        assert probe["httpGet"]["path"] in get_paths, f"{kind}: the app has no GET route there"
    # Liveness must not depend on the database: a database outage would restart every pod.
    assert probes["livenessProbe"]["httpGet"]["path"] != probes["readinessProbe"]["httpGet"]["path"]


def test_pods_run_as_the_images_user_and_cannot_gain_privileges(rendered: list[Manifest]) -> None:
    uid, gid = dockerfile_user()
    for name, template in pod_templates(rendered):
        pod = template["spec"]
        assert pod["automountServiceAccountToken"] is False, name
        # Service links would add REPAIRDESK_PORT and the like: the settings' own prefix.
        assert pod["enableServiceLinks"] is False, name
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        for container in pod["containers"]:
            context = {**pod["securityContext"], **container["securityContext"]}
            assert context["runAsNonRoot"] is True, name
            assert (context["runAsUser"], context["runAsGroup"]) == (uid, gid), name
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert "add" not in context["capabilities"], name


# --- the settings -----------------------------------------------------------------------------


def repairdesk_environments(rendered: list[Manifest]) -> dict[str, dict[str, str | Manifest]]:
    return {
        f"{name}/{container['name']}": {
            key: value
            for key, value in container_environment(container, rendered).items()
            if key.startswith(PREFIX)
        }
        for name, template in pod_templates(rendered)
        for container in template["spec"]["containers"]
    }


def test_every_repairdesk_variable_is_a_setting(rendered: list[Manifest]) -> None:
    fields = set(Settings.model_fields)
    for container, environment in repairdesk_environments(rendered).items():
        assert environment, f"{container} sets no {PREFIX}* variable"
        unknown = {key for key in environment if key.removeprefix(PREFIX).lower() not in fields}
        assert not unknown, f"{container}: {sorted(unknown)} are not settings of final_app"


def test_the_settings_accept_the_values_the_manifests_give(rendered: list[Manifest]) -> None:
    """The image's ENV, then the manifests' values (stand-ins for the Secret's): valid settings,
    production mode, PostgreSQL (the image's SQLite default would need a volume at /data)."""
    stand_ins = {
        "database_url": "postgresql+psycopg://repairdesk:password@db/repairdesk",
        "secret_key": "s" * 48,
        "admin_email": "admin@example.com",
        "admin_password": "a long password",
    }
    image = {
        key.removeprefix(PREFIX).lower(): value
        for key, value in dockerfile_env().items()
        if key.startswith(PREFIX)
    }
    for container, environment in repairdesk_environments(rendered).items():
        values: dict[str, Any] = dict(image)
        for key, value in environment.items():
            name = key.removeprefix(PREFIX).lower()
            values[name] = value if isinstance(value, str) else stand_ins[name]
        settings = Settings(**values)  # raises, naming the setting, on a value it refuses
        assert settings.production, f"{container} runs in development mode"
        url = make_url(settings.database_url.get_secret_value())
        assert url.get_backend_name() == "postgresql", f"{container} keeps the image's {url}"


def test_secret_settings_come_from_a_secret_never_from_the_files(rendered: list[Manifest]) -> None:
    secret_fields = {
        name
        for name, field in Settings.model_fields.items()
        if SecretStr in (field.annotation, *getattr(field.annotation, "__args__", ()))
    }
    assert {"database_url", "secret_key", "admin_password"} <= secret_fields
    assert not [m for m in rendered if m["kind"] == "Secret"], "no Secret with values here"
    for config_map in (m for m in rendered if m["kind"] == "ConfigMap"):
        for key in config_map.get("data", {}):
            assert key.removeprefix(PREFIX).lower() not in secret_fields, (
                f"{key} has a value in ConfigMap {config_map['metadata']['name']}: a Secret's job"
            )
    secret_names = set()
    for container, environment in repairdesk_environments(rendered).items():
        for key, value in environment.items():
            if key.removeprefix(PREFIX).lower() in secret_fields:
                assert isinstance(value, dict), f"{container}: {key} has a value in the files"
                assert "secretKeyRef" in value, f"{container}: {key} must come from a Secret"
                secret_names.add(value["secretKeyRef"]["name"])
    assert len(secret_names) == 1, f"one Secret for the operator to create: {secret_names}"


def test_the_migration_job_runs_the_apps_migrate_command(rendered: list[Manifest]) -> None:
    job = only(rendered, "Job")
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["python", "-m", "final_app", "migrate"]
    with pytest.raises(SystemExit) as exit_info:  # the command exists: its help exits 0
        final_app_cli(["migrate", "--help"])
    assert exit_info.value.code == 0
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert job["spec"].get("parallelism", 1) == 1, "one migration at a time"


def test_every_checkov_skip_gives_its_reason(rendered: list[Manifest]) -> None:
    """checkov takes Kubernetes skips from annotations, `CHECK_ID=reason`, split at the `=`."""
    skips = {
        f"{manifest['kind']}/{manifest['metadata']['name']} {key}": value
        for manifest in rendered
        for key, value in manifest["metadata"].get("annotations", {}).items()
        if key.startswith("checkov.io/skip")
    }
    assert skips, "no skips found: the annotations moved"
    for where, value in skips.items():
        check, _, reason = value.partition("=")
        assert re.fullmatch(r"CKV2?_[A-Z0-9]+_\d+", check), f"{where}: {value}"
        assert len(reason.split()) >= 5, f"{where}: {check} is skipped without a reason"
        assert "=" not in reason, f"{where}: a second '=' makes checkov fail to read it"
    for path in (DOCKERFILE, COMPOSE_FILE):
        for line in path.read_text().splitlines():
            if "checkov:skip=" in line:
                check, _, reason = line.split("checkov:skip=", 1)[1].partition(":")
                assert len(reason.split()) >= 5, f"{path.name}: {check} skipped without a reason"


# --- the objects point at each other ----------------------------------------------------------


def test_the_hpa_scales_the_deployment_and_owns_its_replica_count(
    rendered: list[Manifest],
) -> None:
    deployment, hpa = api_deployment(rendered), only(rendered, "HorizontalPodAutoscaler")
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["apiVersion"], target["kind"], target["name"]) == (
        "apps/v1",
        "Deployment",
        deployment["metadata"]["name"],
    )
    assert hpa["spec"]["minReplicas"] >= 2, "one pod must be able to go while another serves"
    assert "replicas" not in deployment["spec"], "each kubectl apply would reset the HPA's count"
    # A CPU utilization target is a share of the request: without one the HPA cannot scale.
    metrics = [m["resource"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Resource"]
    for resource in metrics:
        assert resource in api_container(rendered)["resources"]["requests"]


def test_service_pdb_and_network_policy_select_the_api_pods_only(
    rendered: list[Manifest],
) -> None:
    api_labels = api_deployment(rendered)["spec"]["template"]["metadata"]["labels"]
    job_labels = only(rendered, "Job")["spec"]["template"]["metadata"]["labels"]
    service, pdb = only(rendered, "Service"), only(rendered, "PodDisruptionBudget")
    assert selects(api_deployment(rendered)["spec"]["selector"]["matchLabels"], api_labels)
    for name, selector in (
        ("Service", service["spec"]["selector"]),
        ("PodDisruptionBudget", pdb["spec"]["selector"]["matchLabels"]),
    ):
        assert selects(selector, api_labels), f"the {name} misses the API's pods"
        assert not selects(selector, job_labels), f"the {name} selects the migration's pod"
    policy = only(rendered, "NetworkPolicy")["spec"]["podSelector"]["matchLabels"]
    assert selects(policy, api_labels), "the NetworkPolicy misses the API's pods"
    assert selects(policy, job_labels), "the NetworkPolicy misses the migration's pod"
    target_port = service["spec"]["ports"][0]["targetPort"]
    names = {port["name"] for port in api_container(rendered)["ports"]}
    assert target_port in names or target_port == int(dockerfile_env()["UVICORN_PORT"])


# --- stopping and sizing ----------------------------------------------------------------------


def graceful_shutdown_seconds(rendered: list[Manifest]) -> int:
    """UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN: the Dockerfile's, unless the container overrides it."""
    override = container_environment(api_container(rendered), rendered).get(
        "UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN"
    )
    value = (
        override
        if isinstance(override, str)
        else dockerfile_env()["UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN"]
    )
    return int(value)


def test_a_stopped_pod_drains_before_sigkill(rendered: list[Manifest]) -> None:
    pod = api_deployment(rendered)["spec"]["template"]["spec"]
    pre_stop = api_container(rendered)["lifecycle"]["preStop"]["sleep"]["seconds"]
    grace = pod["terminationGracePeriodSeconds"]
    shutdown = graceful_shutdown_seconds(rendered)
    assert pre_stop > 0, "endpoints need a moment to drop the pod before SIGTERM"
    assert grace > pre_stop + shutdown, (
        f"terminationGracePeriodSeconds {grace} must exceed the preStop sleep {pre_stop} s "
        f"+ uvicorn's graceful shutdown {shutdown} s, or SIGKILL cuts requests in flight"
    )


def test_a_rollout_drains_one_batch_of_pods_at_a_time(rendered: list[Manifest]) -> None:
    """The connection arithmetic counts one surge of draining pods: this is why it may."""
    spec = api_deployment(rendered)["spec"]
    grace = spec["template"]["spec"]["terminationGracePeriodSeconds"]
    assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert spec.get("minReadySeconds", 0) >= grace, (
        f"minReadySeconds {spec.get('minReadySeconds', 0)} < terminationGracePeriodSeconds "
        f"{grace}: old pods could pile up draining, each holding its connections"
    )


def test_memory_covers_the_argon2_buffers(rendered: list[Manifest]) -> None:
    container = api_container(rendered)
    environment = container_environment(container, rendered)
    configured = environment.get(f"{PREFIX}PASSWORD_THREADS")
    threads = (
        int(configured)
        if isinstance(configured, str)
        else Settings.model_fields["password_threads"].default
    )
    needed = PEAK_MIB_WITHOUT_ARGON2 + threads * math.ceil(ARGON2_MEMORY_KIB / 1024)
    limit = quantity_mib(container["resources"]["limits"]["memory"])
    request = quantity_mib(container["resources"]["requests"]["memory"])
    assert limit >= needed, (
        f"memory limit {limit:g} MiB < {PEAK_MIB_WITHOUT_ARGON2} MiB measured "
        f"+ {threads} password threads x {ARGON2_MEMORY_KIB // 1024} MiB = {needed} MiB"
    )
    assert request == limit, "memory is not compressible: reserve what the pod may use"
    assert "cpu" in container["resources"]["requests"], "the HPA scales on a share of it"
    assert "cpu" in container["resources"]["limits"]


def test_the_read_only_root_leaves_tmp_writable(rendered: list[Manifest]) -> None:
    tmp = "/tmp"  # noqa: S108 (the pod's own, an emptyDir no other pod shares)
    for name, template in pod_templates(rendered):
        volumes = {v["name"]: v for v in template["spec"].get("volumes", [])}
        for container in template["spec"]["containers"]:
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            assert tmp in mounts, f"{name}: Python's tempfile needs a writable {tmp}"
            assert "emptyDir" in volumes[mounts[tmp]], name
