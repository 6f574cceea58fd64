"""What goes over the wire: request bodies (strict) and responses (built from the models).

Constraints live in reusable `Annotated` types, so a rule is written once and the create and
update bodies cannot drift apart; their descriptions become the OpenAPI document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
)

from final_app.models import Role, TicketStatus


def refuse_nul(text: str) -> str:
    """PostgreSQL cannot store the NUL character in text: a 422 on every database alike."""
    if "\x00" in text:
        raise ValueError("must not contain the NUL character (\\u0000)")
    return text


# --8<-- [start:types]
Email = Annotated[EmailStr, AfterValidator(str.lower)]
DeviceModel = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=50),
    AfterValidator(refuse_nul),
    Field(description="The device, 2 to 50 characters after trimming.", examples=["iPhone 13"]),
]
CENT = Decimal("0.01")
Money = Annotated[
    Decimal,
    Field(
        gt=0,
        lt=100_000,
        max_digits=7,
        decimal_places=2,
        description="A positive amount below 100000 with at most 2 decimal places.",
        examples=["129.90"],
    ),
    AfterValidator(lambda amount: amount.quantize(CENT)),  # once valid: 129.9 → 129.90, as stored
]
Notes = Annotated[
    str,
    AfterValidator(refuse_nul),
    Field(max_length=2000, description="Free text, at most 2000 characters."),
]
Password = Annotated[str, Field(min_length=8, max_length=128, description="8 to 128 characters.")]
# --8<-- [end:types]


class Input(BaseModel):
    """Request bodies: an unknown field is a client mistake, reported as 422."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorMessage(BaseModel):
    """FastAPI's error shape, as every non-422 error of this API returns it."""

    detail: str


# --8<-- [start:tickets]
class TicketCreate(Input):
    customer_email: Email
    device_model: DeviceModel
    estimated_cost: Money
    notes: Notes | None = None


def _omit_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)  # documented as "may be omitted", not as "defaults to null"


# An update field that may be left out but, when sent, follows the creation rules (null too is
# refused). Only the fields sent are applied: `model_dump(exclude_unset=True)`.
Omittable: Any = Field(default=None, json_schema_extra=_omit_default)


class TicketUpdate(Input):
    """Only the fields sent change; `notes: null` clears the notes."""

    customer_email: Email = Omittable
    device_model: DeviceModel = Omittable
    estimated_cost: Money = Omittable
    notes: Notes | None = None


class TicketRead(Output):
    id: int
    tracking_code: str = Field(description="Give it to the customer: GET /api/v1/track/{code}.")
    customer_email: str
    device_model: str
    estimated_cost: Decimal
    notes: str | None
    status: TicketStatus
    created_at: AwareDatetime
    updated_at: AwareDatetime


class TicketPage(BaseModel):
    items: list[TicketRead]
    total: int = Field(description="How many tickets match the filters, across all pages.")
    limit: int
    offset: int


class TransitionRequest(Input):
    to: TicketStatus = Field(description="The status to move the ticket to.")


class TrackingRead(Output):
    """What a customer may see: no email, no cost, no notes."""

    status: TicketStatus
    device_model: str
    updated_at: AwareDatetime


# --8<-- [end:tickets]


# --8<-- [start:users]
class UserCreate(Input):
    email: Email
    password: Password
    role: Role = Role.TECHNICIAN


class UserRead(Output):
    """A user as the API shows it: never the password, never its hash."""

    id: int
    email: str
    role: Role
    created_at: AwareDatetime


# --8<-- [end:users]


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the OAuth2 token type)


class Health(BaseModel):
    status: Literal["ok"] = "ok"
