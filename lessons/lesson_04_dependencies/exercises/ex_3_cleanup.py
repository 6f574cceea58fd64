"""Give the label printer back, whatever happens.

--8<-- [start:task]
**Ticket RD-403.** The shop has one label printer, and `get_printer` hands it to the request
that prints a ticket's label. It never gives it back: after the first label, every request
gets a **503** "The label printer is busy". Turn `get_printer` into a dependency with `yield`
that releases the printer once the endpoint is done, including when the endpoint fails (a
label for an unknown ticket is a 404, and must not keep the printer either).
--8<-- [end:task]
"""

from http import HTTPStatus
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse


class PrinterBusyError(Exception):
    """Someone else holds the printer."""


class LabelPrinter:
    """The shop's one label printer: one request at a time may hold it."""

    def __init__(self) -> None:
        self.in_use = False
        self.printed: list[str] = []

    def acquire(self) -> "LabelPrinter":
        if self.in_use:
            raise PrinterBusyError
        self.in_use = True
        return self

    def release(self) -> None:
        self.in_use = False

    def print_label(self, text: str) -> None:
        self.printed.append(text)


PRINTER = LabelPrinter()
TICKETS = {1: "Pixel 8", 2: "iPhone 15"}

app = FastAPI(title="RepairDesk, exercise 04.3")


@app.exception_handler(PrinterBusyError)
async def printer_busy(request: Request, exc: PrinterBusyError) -> JSONResponse:
    return JSONResponse(
        status_code=HTTPStatus.SERVICE_UNAVAILABLE,
        content={"detail": "The label printer is busy"},
    )


def get_printer() -> LabelPrinter:
    """The label printer, for one request."""
    # TODO: hand the printer over with `yield`, and release it afterwards, whatever happened.
    return PRINTER.acquire()


PrinterDep = Annotated[LabelPrinter, Depends(get_printer)]


@app.post("/tickets/{ticket_id}/label")
def print_label(ticket_id: int, printer: PrinterDep) -> dict[str, str]:
    """Print the label that goes on the device."""
    if ticket_id not in TICKETS:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"Ticket {ticket_id} not found")
    label = f"#{ticket_id} {TICKETS[ticket_id]}"
    printer.print_label(label)
    return {"printed": label}
