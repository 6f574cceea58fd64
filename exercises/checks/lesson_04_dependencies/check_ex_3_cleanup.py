"""Checks that the printer is released after each request, a failed one included.

--8<-- [start:hint]
A dependency that uses `yield` hands over the value it yields; the code after the `yield`
runs once the endpoint is done. Acquire, then `try: yield printer` / `finally:
printer.release()`: an exception from the endpoint is raised at the `yield`, and `finally`
runs anyway. Its return annotation becomes `Iterator[LabelPrinter]` (from
`collections.abc`). Lesson 04's `audit` dependency has the same shape.
--8<-- [end:hint]
"""

from types import ModuleType

from fastapi.testclient import TestClient

from exercises.checks.words import answered


def test_two_labels_in_a_row(client: TestClient) -> None:
    for ticket_id in (1, 2):
        response = client.post(f"/tickets/{ticket_id}/label")
        assert response.status_code == 200, answered(
            f"printing the label of ticket {ticket_id}, one after the other,", response, 200
        )


def test_the_printer_is_released_after_a_label(client: TestClient, module: ModuleType) -> None:
    client.post("/tickets/1/label")
    assert module.PRINTER.in_use is False, "after printing a label, the printer is still held"


def test_the_printer_is_released_after_a_failed_request(
    client: TestClient, module: ModuleType
) -> None:
    response = client.post("/tickets/99/label")
    assert response.status_code == 404, answered("printing the label of ticket 99", response, 404)
    assert module.PRINTER.in_use is False, "after the 404, the printer is still held"
    response = client.post("/tickets/1/label")
    assert response.status_code == 200, answered("a label after a failed request", response, 200)


def test_labels_are_printed(client: TestClient, module: ModuleType) -> None:
    client.post("/tickets/2/label")
    assert module.PRINTER.printed == ["#2 iPhone 15"], f"printed: {module.PRINTER.printed}"
