"""What a ticket looks like coming in and going out.

The input model is strict (unknown fields are refused, text is trimmed, money is a Decimal
with two places); the output model is what clients may rely on. Keeping them apart means a
client can never set fields the server owns, such as `id`, `status` or `created_at`.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

# --8<-- [start:types]
# Constrained types, declared once and reused by every model that needs them.
DeviceModel = Annotated[
    str,
    Field(
        min_length=2, max_length=50, description="The device, e.g. 'Pixel 8'.", examples=["Pixel 8"]
    ),
]
# Money is never a float: 0.1 + 0.2 != 0.3 in binary floating point.
CENT = Decimal("0.01")
Cost = Annotated[
    Decimal,
    Field(
        gt=0,
        max_digits=7,
        decimal_places=2,
        description="Estimated cost, in euros.",
        examples=["129.99"],
    ),
    # Once valid, two places, as the column stores it: 0.1 is answered "0.10", now and later.
    AfterValidator(lambda cost: cost.quantize(CENT)),
]
Status = Literal["received", "repairing", "ready"]
# --8<-- [end:types]


# --8<-- [start:models]
class TicketCreate(BaseModel):
    """What a client sends to open a ticket."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    customer_email: EmailStr = Field(description="Where we tell the customer the device is ready.")
    device_model: DeviceModel
    estimated_cost: Cost
    notes: Annotated[
        str, Field(max_length=2000, description="Anything the technician should know.")
    ] = ""


class TicketRead(BaseModel):
    """What the server answers: the ticket as it is stored."""

    # Read straight from a `Ticket` row's attributes: `TicketRead.model_validate(ticket)`.
    model_config = ConfigDict(from_attributes=True)

    id: int
    customer_email: EmailStr
    device_model: str
    estimated_cost: Decimal
    notes: str
    status: Status
    opened_by: str = Field(description="Who opened the ticket: the owner of the API key used.")
    created_at: datetime


# --8<-- [end:models]
