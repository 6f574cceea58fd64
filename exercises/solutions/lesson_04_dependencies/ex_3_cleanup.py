"""Exercise 04.3, solved: a yield dependency, whose cleanup runs whatever the endpoint did.

The code before `yield` runs before the endpoint, the code after it once the endpoint is
done; an exception raised by the endpoint is raised again at the `yield`, so `finally`
releases the printer in every case.
"""

from collections.abc import Iterator
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


def get_printer() -> Iterator[LabelPrinter]:
    """The label printer, for one request."""
    printer = PRINTER.acquire()
    try:
        yield printer
    finally:
        printer.release()


PrinterDep = Annotated[LabelPrinter, Depends(get_printer)]


@app.post("/tickets/{ticket_id}/label")
def print_label(ticket_id: int, printer: PrinterDep) -> dict[str, str]:
    """Print the label that goes on the device."""
    if ticket_id not in TICKETS:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"Ticket {ticket_id} not found")
    label = f"#{ticket_id} {TICKETS[ticket_id]}"
    printer.print_label(label)
    return {"printed": label}
