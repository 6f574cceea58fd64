"""Checks that the overview is right and costs one trip: one `database.run`, one transaction.

--8<-- [start:hint]
A unit of work is a plain function whose first parameter is the session; inside it, call the
other functions with that same session, as `AuthorizedDatabase.run` does with
`check_account`: `ticket = tickets.read_ticket(session, ticket_id)`, then
`count_open_tickets(session, ticket.customer_email)`, and return
`TicketOverview(ticket=ticket, open_tickets=...)`. The endpoint is then one line:
`return await database.run(read_overview, ticket_id)`. A `TicketNotFoundError` raised inside
the unit of work rolls the transaction back and still becomes a 404.
--8<-- [end:hint]
"""

from exercises.checks.lesson_09_request_path.conftest import DEACTIVATED, Desk
from exercises.checks.words import answered

OVERVIEW = "/api/v1/tickets/{}/overview"


def test_the_overview_is_right(desk: Desk) -> None:
    for ticket_id, device, customer, open_tickets in [
        (1, "Pixel 8", "ada@example.com", 2),
        (3, "Galaxy S21", "ada@example.com", 2),  # collected, but ada has two others in the shop
        (4, "iPhone 15", "bob@example.com", 1),
    ]:
        response = desk.get(OVERVIEW.format(ticket_id))
        request = f"GET {OVERVIEW.format(ticket_id)}"
        assert response.status_code == 200, answered(request, response, 200)
        body = response.json()
        ticket = body.get("ticket", {})
        assert (ticket.get("id"), ticket.get("device_model"), ticket.get("customer_email")) == (
            ticket_id,
            device,
            customer,
        ), f"{request} should show ticket {ticket_id} ({device}); it showed {ticket}"
        assert body.get("open_tickets") == open_tickets, (
            f"{request}: {customer} has {open_tickets} ticket(s) neither collected nor "
            f"cancelled; the overview says {body.get('open_tickets')}"
        )


def test_one_request_makes_one_trip(desk: Desk) -> None:
    response = desk.get(OVERVIEW.format(1))
    assert response.status_code == 200, answered(f"GET {OVERVIEW.format(1)}", response, 200)
    trips = desk.trips
    assert not trips.on_the_loop, (
        f"SQL ran on the event loop, where it stops every other request: {trips.on_the_loop}; "
        "run the unit of work with `await database.run(...)`"
    )
    assert (trips.runs, trips.transactions) == (1, 1), (
        f"one overview took {trips.describe()}; it should take one of each: the ticket and "
        "the count read by one unit of work, in one `await database.run(...)`"
    )


def test_an_unknown_ticket_is_a_404_in_one_trip(desk: Desk) -> None:
    response = desk.get(OVERVIEW.format(99))
    assert response.status_code == 404, answered(f"GET {OVERVIEW.format(99)}", response, 404)
    assert desk.trips.runs == 1, (
        f"a 404 took {desk.trips.describe()}; it should take one trip, as any overview does"
    )


def test_the_account_is_still_checked_in_the_same_trip(desk: Desk) -> None:
    response = desk.get(OVERVIEW.format(1), user=DEACTIVATED)
    assert response.status_code == 401, answered(
        "the overview for a deactivated account's token", response, 401
    )
    response = desk.get(OVERVIEW.format(1), user=None)
    assert response.status_code == 401, answered("the overview without a token", response, 401)
