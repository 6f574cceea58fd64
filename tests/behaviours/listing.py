"""Lesson 04's listing behaviours: pagination and filters as dependencies, kept by later lessons."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

ListedIds = Callable[..., list[int]]


@pytest.fixture
def three_devices(
    client: TestClient, tickets_path: str, newest_first: bool, valid_ticket: dict[str, Any]
) -> list[int]:
    """Three tickets; returns their ids in the order the list shows them."""
    devices = ["Pixel 8", "iPhone 15", "Pixel 7a"]
    ids = [
        client.post(tickets_path, json={**valid_ticket, "device_model": device}).json()["id"]
        for device in devices
    ]
    return ids[::-1] if newest_first else ids


@pytest.fixture
def listed_ids(
    client: TestClient, tickets_path: str, listed_tickets: Callable[[Any], list[dict[str, Any]]]
) -> ListedIds:
    """The ids the list shows for the query parameters given."""

    def listed(**params: Any) -> list[int]:
        response = client.get(tickets_path, params=params)
        assert response.status_code == 200, response.text
        return [ticket["id"] for ticket in listed_tickets(response.json())]

    return listed


def test_limit_caps_the_list(listed_ids: ListedIds, three_devices: list[int]) -> None:
    assert listed_ids(limit=2) == three_devices[:2]


def test_offset_skips_the_first_tickets(listed_ids: ListedIds, three_devices: list[int]) -> None:
    assert listed_ids(offset=1) == three_devices[1:]


def test_offset_and_limit_select_a_page(listed_ids: ListedIds, three_devices: list[int]) -> None:
    assert listed_ids(offset=1, limit=1) == [three_devices[1]]


def test_offset_past_the_end_is_an_empty_page(
    listed_ids: ListedIds, three_devices: list[int]
) -> None:
    assert listed_ids(offset=3) == []


def test_negative_offset_is_a_422_naming_the_parameter(
    client: TestClient, tickets_path: str
) -> None:
    response = client.get(tickets_path, params={"offset": -1})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "offset"]
    assert error["type"] == "greater_than_equal"


def test_device_filter_matches_part_of_the_name_in_any_case(
    listed_ids: ListedIds, three_devices: list[int]
) -> None:
    assert listed_ids(device="pixel") == [three_devices[0], three_devices[2]]


def test_filters_and_pagination_combine(listed_ids: ListedIds, three_devices: list[int]) -> None:
    assert listed_ids(device="PIXEL", status="received", offset=1) == [three_devices[2]]


def test_status_filter_leaves_out_other_statuses(
    listed_ids: ListedIds, three_devices: list[int]
) -> None:
    assert listed_ids(status="ready") == []


def test_device_filter_longer_than_a_device_name_is_a_422(
    client: TestClient, tickets_path: str
) -> None:
    response = client.get(tickets_path, params={"device": "x" * 51})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "device"]


def test_openapi_documents_the_pagination_and_filter_parameters(
    client: TestClient, tickets_path: str
) -> None:
    operation = client.get("/openapi.json").json()["paths"][tickets_path]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"limit", "offset", "status", "device"}


def test_device_filter_treats_wildcards_as_plain_characters(
    listed_ids: ListedIds, three_devices: list[int]
) -> None:
    # In SQL, "%" and "_" in a LIKE pattern match anything: a filter must not let them.
    assert listed_ids(device="%") == []
    assert listed_ids(device="Pixel_8") == []
