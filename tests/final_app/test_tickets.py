"""Tickets through the API: create, list, read, edit, delete, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete
from sqlalchemy.orm import Session

from final_app.models import Ticket
from final_app.services import tickets as tickets_service

Headers = dict[str, str]


def create(client: TestClient, headers: Headers, body: dict[str, Any]) -> Any:
    response = client.post("/api/v1/tickets", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def error_fields(response: Any) -> list[str]:
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


# --- create -----------------------------------------------------------------------------------


def test_create_answers_201_with_the_ticket_received(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    response = client.post("/api/v1/tickets", json=valid_ticket, headers=tech_headers)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received"
    assert body["customer_email"] == "ada@example.com"
    assert body["estimated_cost"] == "129.99"
    assert body["notes"] == "Cracked screen, still boots."


def test_create_sets_location_to_the_new_ticket(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    response = client.post("/api/v1/tickets", json=valid_ticket, headers=tech_headers)
    location = response.headers["Location"]
    assert location == f"/api/v1/tickets/{response.json()['id']}"
    assert client.get(location, headers=tech_headers).json() == response.json()


def test_create_stores_the_cost_with_two_decimals(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    ticket = create(client, tech_headers, {**valid_ticket, "estimated_cost": 129.9})
    assert ticket["estimated_cost"] == "129.90"


def test_timestamps_are_timezone_aware_utc(client: TestClient, ticket: dict[str, Any]) -> None:
    for field in ("created_at", "updated_at"):
        moment = datetime.fromisoformat(ticket[field])
        assert moment.utcoffset() == timedelta(0)


def test_tracking_codes_are_random_and_long(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    codes = {create(client, tech_headers, valid_ticket)["tracking_code"] for _ in range(5)}
    assert len(codes) == 5
    assert all(len(code) >= 16 for code in codes)  # 16 base64url characters: 96 bits


@pytest.mark.parametrize(
    ("field", "value"),
    # JSON numbers here; strings, emails and device models in the shared ticket_validation
    # behaviours (test_behaviours.py), where the notes case is an expected failure for now.
    [
        ("estimated_cost", 0),
        ("estimated_cost", -5),
        ("estimated_cost", 100000),
        ("estimated_cost", "NaN"),
        ("notes", "n" * 2001),
    ],
)
def test_create_rejects_an_invalid_field_with_422_naming_it(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any], field: str, value: Any
) -> None:
    response = client.post(
        "/api/v1/tickets", json={**valid_ticket, field: value}, headers=tech_headers
    )
    assert response.status_code == 422
    assert field in error_fields(response)


def test_create_accepts_the_largest_allowed_cost(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    ticket = create(client, tech_headers, {**valid_ticket, "estimated_cost": "99999.99"})
    assert ticket["estimated_cost"] == "99999.99"


# --- read and list ----------------------------------------------------------------------------


def test_list_is_newest_first_with_paging_figures(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    ids = [create(client, tech_headers, valid_ticket)["id"] for _ in range(3)]
    page = client.get("/api/v1/tickets", headers=tech_headers).json()
    assert [item["id"] for item in page["items"]] == sorted(ids, reverse=True)
    assert (page["total"], page["limit"], page["offset"]) == (3, 20, 0)


def test_list_pages_with_limit_and_offset(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    ids = [create(client, tech_headers, valid_ticket)["id"] for _ in range(5)]
    page = client.get("/api/v1/tickets?limit=2&offset=1", headers=tech_headers).json()
    assert [item["id"] for item in page["items"]] == sorted(ids, reverse=True)[1:3]
    assert page["total"] == 5


def test_list_filters_by_status(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    first = create(client, tech_headers, valid_ticket)
    create(client, tech_headers, valid_ticket)
    client.post(
        f"/api/v1/tickets/{first['id']}/transitions", json={"to": "cancelled"}, headers=tech_headers
    )
    page = client.get("/api/v1/tickets?status=cancelled", headers=tech_headers).json()
    assert [item["id"] for item in page["items"]] == [first["id"]]
    assert page["total"] == 1


def test_list_filters_by_customer_email_ignoring_case(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    create(client, tech_headers, valid_ticket)
    bob = create(client, tech_headers, {**valid_ticket, "customer_email": "Bob@Example.com"})
    page = client.get(
        "/api/v1/tickets", params={"customer_email": "BOB@example.com"}, headers=tech_headers
    ).json()
    assert [item["id"] for item in page["items"]] == [bob["id"]]


@pytest.mark.parametrize(
    "query",
    # Limits and offsets out of range: the shared routing and listing behaviours.
    ["limit=ten", "status=lost", "customer_email=nobody"],
)
def test_list_rejects_bad_query_values_with_422(
    client: TestClient, tech_headers: Headers, query: str
) -> None:
    response = client.get(f"/api/v1/tickets?{query}", headers=tech_headers)
    assert response.status_code == 422
    assert error_fields(response) == [query.split("=")[0]]


# --- edit -------------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    response = client.patch(
        f"/api/v1/tickets/{ticket['id']}", json={"estimated_cost": "80"}, headers=tech_headers
    )
    assert response.status_code == 200
    assert response.json() == {
        **ticket,
        "estimated_cost": "80.00",
        "updated_at": response.json()["updated_at"],
    }


def test_patch_moves_updated_at_forward(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    edited = client.patch(
        f"/api/v1/tickets/{ticket['id']}", json={"notes": "Battery too"}, headers=tech_headers
    ).json()
    assert datetime.fromisoformat(edited["updated_at"]) > datetime.fromisoformat(
        ticket["updated_at"]
    )


def test_patch_with_null_notes_clears_them(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    response = client.patch(
        f"/api/v1/tickets/{ticket['id']}", json={"notes": None}, headers=tech_headers
    )
    assert response.json()["notes"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"device_model": None}, "device_model"),  # a required field cannot be emptied
        ({"status": "ready"}, "status"),  # status moves only through transitions
        ({"estimated_cost": "0.001"}, "estimated_cost"),  # the creation rules apply
    ],
)
def test_patch_refuses_what_creation_would_refuse_and_the_status(
    client: TestClient,
    tech_headers: Headers,
    ticket: dict[str, Any],
    changes: dict[str, Any],
    field: str,
) -> None:
    response = client.patch(f"/api/v1/tickets/{ticket['id']}", json=changes, headers=tech_headers)
    assert response.status_code == 422
    assert error_fields(response) == [field]


def test_a_patch_that_loses_a_race_with_a_delete_is_404(
    client: TestClient,
    tech_headers: Headers,
    ticket: dict[str, Any],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_ticket_row = tickets_service._get

    def read_then_deleted_by_another_request(session: Session, ticket_id: int) -> Ticket:
        row = read_ticket_row(session, ticket_id)
        other = create_engine(database_url)
        with other.begin() as connection:
            connection.execute(delete(Ticket).where(Ticket.id == ticket_id))
        other.dispose()
        return row

    monkeypatch.setattr(tickets_service, "_get", read_then_deleted_by_another_request)
    response = client.patch(
        f"/api/v1/tickets/{ticket['id']}", json={"notes": "x"}, headers=tech_headers
    )
    assert response.status_code == 404
    assert response.json() == {"detail": f"Ticket {ticket['id']} not found"}


def test_patch_of_a_missing_ticket_is_404(client: TestClient, tech_headers: Headers) -> None:
    response = client.patch("/api/v1/tickets/4242", json={"notes": "x"}, headers=tech_headers)
    assert response.status_code == 404


# --- delete -----------------------------------------------------------------------------------


def test_technician_may_not_delete(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    response = client.delete(f"/api/v1/tickets/{ticket['id']}", headers=tech_headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "Admins only"}
