"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis).

Every operation gets generated requests, valid and invalid, sent with an admin's token; every
response must be no server error and must match what the document promises (status code,
content type, headers, body schema). One worker: more can crash CPython 3.11.7 (gh-106905).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from final_app.main import app as document_app
from final_app.security import Principal
from tests.final_app.conftest import bearer

# --8<-- [start:fuzz]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    unsupported_method,  # 405, with an Allow header, for a method the path does not have
]


# The document comes from the module's app, read without starting it (no lifespan, no
# database); each generated request goes to the test's own app, on its own fresh database
# (`app=` below).
schema = schemathesis.openapi.from_dict(document_app.openapi())


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_honours_its_openapi_document(
    case: Case[Any], app: FastAPI, admin: Principal
) -> None:
    case.call_and_validate(app=app, headers=bearer(admin), checks=CHECKS)


# --8<-- [end:fuzz]
