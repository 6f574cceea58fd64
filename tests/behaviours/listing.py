"""Lesson 04's listing behaviours: pagination and filters as dependencies, kept by later lessons."""

from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def three_devices(client: TestClient, valid_ticket: dict[str, Any]) -> list[int]:
    """Three tickets, oldest first; returns their ids."""
    devices = ["Pixel 8", "iPhone 15", "Pixel 7a"]
    return [
        client.post("/tickets", json={**valid_ticket, "device_model": device}).json()["id"]
        for device in devices
    ]


def listed_ids(client: TestClient, **params: Any) -> list[int]:
    response = client.get("/tickets", params=params)
    assert response.status_code == 200, response.text
    return [ticket["id"] for ticket in response.json()]


def test_limit_caps_the_list(client: TestClient, three_devices: list[int]) -> None:
    assert listed_ids(client, limit=2) == three_devices[:2]


def test_offset_skips_the_first_tickets(client: TestClient, three_devices: list[int]) -> None:
    assert listed_ids(client, offset=1) == three_devices[1:]


def test_offset_and_limit_select_a_page(client: TestClient, three_devices: list[int]) -> None:
    assert listed_ids(client, offset=1, limit=1) == [three_devices[1]]


def test_offset_past_the_end_is_an_empty_page(client: TestClient, three_devices: list[int]) -> None:
    assert listed_ids(client, offset=3) == []


def test_negative_offset_is_a_422_naming_the_parameter(client: TestClient) -> None:
    response = client.get("/tickets", params={"offset": -1})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "offset"]
    assert error["type"] == "greater_than_equal"


def test_device_filter_matches_part_of_the_name_in_any_case(
    client: TestClient, three_devices: list[int]
) -> None:
    assert listed_ids(client, device="pixel") == [three_devices[0], three_devices[2]]


def test_filters_and_pagination_combine(client: TestClient, three_devices: list[int]) -> None:
    assert listed_ids(client, device="PIXEL", status="received", offset=1) == [three_devices[2]]


def test_status_filter_leaves_out_other_statuses(
    client: TestClient, three_devices: list[int]
) -> None:
    assert listed_ids(client, status="ready") == []


def test_device_filter_longer_than_a_device_name_is_a_422(client: TestClient) -> None:
    response = client.get("/tickets", params={"device": "x" * 51})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "device"]


def test_openapi_documents_the_pagination_and_filter_parameters(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/tickets"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"limit", "offset", "status", "device"}


def test_device_filter_treats_wildcards_as_plain_characters(
    client: TestClient, three_devices: list[int]
) -> None:
    # In SQL, "%" and "_" in a LIKE pattern match anything: a filter must not let them.
    assert listed_ids(client, device="%") == []
    assert listed_ids(client, device="Pixel_8") == []
