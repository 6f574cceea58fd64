"""Checkov over deploy/k8s/, the Dockerfile and compose.yaml, as `nox -s checkov` runs it.

It passes when no check fails, every skipped check gives its reason, and each scan really
looked at something: kustomize must have rendered the base (no kubectl, no resources), and the
secrets scan must catch a key planted in a copy of compose.yaml. Checkov has no compose
framework: compose.yaml gets the secrets scan only. `--skip-download`: nothing is fetched
from Prisma Cloud, so it runs offline.

    python -m tests.deploy.checkov_report     (in an environment with checkov and kubectl)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NO_REASON = "No comment provided"  # checkov's text for a skip that gives none

# (what is scanned, checkov's arguments, frameworks that must report passed checks)
SCANS = [
    (
        "deploy/k8s",
        ["--framework", "kustomize", "secrets", "--directory", "deploy/k8s"],
        {"kustomize"},
    ),
    (
        "Dockerfile",
        ["--framework", "dockerfile", "secrets", "--file", "Dockerfile"],
        {"dockerfile"},
    ),
    ("compose.yaml", ["--framework", "secrets", "--file", "compose.yaml"], set()),
]


def checkov(arguments: list[str], cwd: Path = ROOT) -> list[dict[str, Any]]:
    """One checkov run's reports, one per framework that found something to scan."""
    command = ["checkov", "--skip-download", "--output", "json", *arguments]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    try:
        reports = json.loads(result.stdout)
    except json.JSONDecodeError:
        sys.exit(f"checkov {' '.join(arguments)} crashed:\n{result.stdout}\n{result.stderr}")
    reports = reports if isinstance(reports, list) else [reports]
    return [report for report in reports if "check_type" in report]  # not the empty summary


def report_scan(name: str, reports: list[dict[str, Any]], must_pass: set[str]) -> list[str]:
    """Print the scan's counts, failures and skips; return what is wrong with it."""
    problems = []
    for framework in sorted(must_pass - {report["check_type"] for report in reports}):
        problems.append(f"{name}: checkov's {framework} framework scanned nothing")
    if not reports:
        print(f"{name}: no findings")
    for report in reports:
        summary, results = report["summary"], report["results"]
        print(
            f"{name} ({report['check_type']}): passed {summary['passed']}, "
            f"failed {summary['failed']}, skipped {summary['skipped']}, "
            f"resources {summary['resource_count']}"
        )
        for check in results["failed_checks"]:
            lines = "-".join(map(str, check["file_line_range"]))
            problems.append(
                f"{name}: {check['check_id']} ({check['check_name']}) failed for "
                f"{check['resource']} at {check['file_path']}:{lines}"
            )
        for check in results["skipped_checks"]:
            reason = check["check_result"].get("suppress_comment", NO_REASON)
            print(f"  skipped {check['check_id']} for {check['resource']}: {reason}")
            if reason.strip() in ("", NO_REASON):
                problems.append(f"{name}: {check['check_id']} is skipped without a reason")
        if summary["parsing_errors"]:
            problems.append(f"{name}: checkov could not parse {results['parsing_errors']}")
    return problems


def secrets_scan_catches_a_planted_key() -> bool:
    """The secrets scan reads compose.yaml's kind of file: a key planted in a copy is found."""
    key = "AKIA" + "IOSFODNN7EXAMPLE"  # AWS's documented example key, split: no real secret
    with tempfile.TemporaryDirectory() as directory:
        copy = Path(directory) / "compose.yaml"
        shutil.copyfile(ROOT / "compose.yaml", copy)
        with copy.open("a") as file:
            file.write(f"x-planted:\n  AWS_ACCESS_KEY_ID: {key}\n")
        reports = checkov(["--framework", "secrets", "--file", str(copy)], cwd=Path(directory))
    return any(report["summary"]["failed"] for report in reports)


def main() -> int:
    problems = []
    for name, arguments, must_pass in SCANS:
        problems += report_scan(name, checkov(arguments), must_pass)
    if secrets_scan_catches_a_planted_key():
        print("compose.yaml: a key planted in a copy is caught, so the secrets scan reads it")
    else:
        problems.append("the secrets scan missed a key planted in a copy of compose.yaml")
    for problem in problems:
        print(f"FAILED {problem}")
    print("checkov: " + (f"{len(problems)} problems" if problems else "0 failed checks"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
