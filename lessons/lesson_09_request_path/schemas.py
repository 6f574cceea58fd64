"""What goes over the wire: request bodies (strict) and responses (what clients may rely on).

Constraints live in reusable `Annotated` types, so a rule is written once and every body that
uses it agrees; their descriptions become the OpenAPI document. Input and output are separate
models, so a client can never set a field the server owns, such as `id` or `status`.
"""

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

from .models import MAX_ID, Role, TicketStatus


def refuse_nul(text: str) -> str:
    """PostgreSQL cannot store the NUL character in text: a 422 on every database alike."""
    if "\x00" in text:
        raise ValueError("must not contain the NUL character (\\u0000)")
    return text


MONEY_TEXT_MAX_LENGTH = 32


def limit_money_text(value: Any) -> Any:
    """An amount sent as a string is parsed only up to the length the document states."""
    if isinstance(value, str) and len(value) > MONEY_TEXT_MAX_LENGTH:
        raise ValueError(f"must be at most {MONEY_TEXT_MAX_LENGTH} characters")
    return value


# --8<-- [start:types]
# Lowercased: one customer, one address. email-validator refuses addresses over 254
# characters; the document says so too.
Email = Annotated[EmailStr, AfterValidator(str.lower), Field(max_length=254)]
DeviceModel = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=50),
    AfterValidator(refuse_nul),
    Field(description="The device, 2 to 50 characters after trimming.", examples=["iPhone 13"]),
]
# Money is never a float: 0.1 + 0.2 != 0.3 in binary floating point.
CENT = Decimal("0.01")
Money = Annotated[
    Decimal,
    Field(
        gt=0,
        lt=100_000,
        max_digits=7,
        decimal_places=2,
        description="An amount in euros: positive, below 100000, at most 2 decimal places.",
        examples=["129.90"],
    ),
    AfterValidator(lambda amount: amount.quantize(CENT)),  # once valid: 129.9 → 129.90, as stored
    # A number, or the same number as a string of bounded length; the document says both.
    BeforeValidator(
        limit_money_text,
        json_schema_input_type=Annotated[float, Field(gt=0, lt=100_000)]
        | Annotated[str, Field(max_length=MONEY_TEXT_MAX_LENGTH)],
    ),
]
Notes = Annotated[
    str,
    # The length before the validator, as a string's: after it, pydantic would check a generic
    # length and say "at most 2000 items".
    StringConstraints(max_length=2000),
    AfterValidator(refuse_nul),
    Field(description="Anything the technician should know, at most 2000 characters."),
]
Password = Annotated[str, Field(min_length=8, max_length=128, description="8 to 128 characters.")]
# --8<-- [end:types]

# What responses hold, bounded as the database bounds it: clients can size their fields.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_ID)]
PageLimit = Annotated[int, Field(ge=1, le=100)]
StoredEmail = Annotated[str, Field(max_length=320)]
# ISO 8601 with an offset and microseconds: 2026-01-31T12:00:00.123456+00:00.
Timestamp = Annotated[AwareDatetime, Field(json_schema_extra={"maxLength": 32})]


# More unknown fields than this and a body gets one error, not one per field.
MAX_UNKNOWN_FIELDS = 100


class Input(BaseModel):
    """Request bodies: an unknown field is a client mistake, reported as 422."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def refuse_a_flood_of_fields(cls, data: Any) -> Any:
        """One error for a body with far too many fields, instead of one error per field.

        A 1 MiB body holds 100,000 unknown fields: an error for each costs the event loop
        most of a second of work, for a 422 no client reads to the end.
        """
        if isinstance(data, dict) and len(data) > len(cls.model_fields) + MAX_UNKNOWN_FIELDS:
            raise ValueError(
                f"{len(data)} fields sent; this body has at most {len(cls.model_fields)}"
            )
        return data


class Output(BaseModel):
    """Responses, read straight from a row's attributes: `TicketRead.model_validate(ticket)`."""

    model_config = ConfigDict(from_attributes=True)


class ErrorMessage(BaseModel):
    """FastAPI's error shape, as every non-422 error of this API returns it."""

    detail: str = Field(max_length=1000)


# --8<-- [start:tickets]
class TicketCreate(Input):
    """What a client sends to open a ticket."""

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
    """What the server answers: the ticket as it is stored."""

    id: Id
    tracking_code: str = Field(
        max_length=32, description="Give it to the customer: GET /api/v1/track/{code}."
    )
    customer_email: StoredEmail
    device_model: Annotated[str, Field(max_length=50)]
    estimated_cost: Annotated[
        Decimal, Field(json_schema_extra={"maxLength": 8, "pattern": r"^\d{1,5}\.\d{2}$"})
    ]
    notes: Annotated[str, Field(max_length=2000)] | None
    status: TicketStatus
    created_at: Timestamp
    updated_at: Timestamp


class TicketPage(BaseModel):
    items: list[TicketRead] = Field(max_length=100)
    total: Count = Field(description="How many tickets match the filters, across all pages.")
    limit: PageLimit
    offset: Count


class TransitionRequest(Input):
    to: TicketStatus = Field(description="The status to move the ticket to.")


class TrackingRead(Output):
    """What a customer may see: no email, no cost, no notes."""

    status: TicketStatus
    device_model: Annotated[str, Field(max_length=50)]
    updated_at: Timestamp


# --8<-- [end:tickets]


# --8<-- [start:users]
class UserCreate(Input):
    email: Email
    password: Password
    role: Role = Role.TECHNICIAN


class UserUpdate(Input):
    """Only the fields sent change. A deactivated user cannot sign in or use their tokens."""

    role: Role = Omittable
    is_active: bool = Omittable


class UserRead(Output):
    """A user as the API shows it: never the password, never its hash."""

    id: Id
    email: StoredEmail
    role: Role
    is_active: bool
    created_at: Timestamp


class UserPage(BaseModel):
    items: list[UserRead] = Field(max_length=100)
    total: Count = Field(description="How many users there are, across all pages.")
    limit: PageLimit
    offset: Count


# --8<-- [end:users]


# --8<-- [start:sign-in]
class SignInForm(BaseModel):
    """OAuth2's password grant (RFC 6749 §4.3.2), sent as a form; the email is the username.

    FastAPI's `OAuth2PasswordRequestForm` sets no lengths: these say what a sign-in can be.
    """

    grant_type: Literal["password"] | None = None
    username: str = Field(max_length=320, description="The user's email, in any case.")
    password: str = Field(max_length=128, json_schema_extra={"format": "password"})
    scope: str = Field(default="", max_length=200, description="Unused: the role is the account's.")


# --8<-- [end:sign-in]


class Token(BaseModel):
    access_token: str = Field(max_length=2048)
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the OAuth2 token type)
    # REPAIRDESK_ACCESS_TOKEN_MINUTES is 1 to 1440.
    expires_in: int = Field(ge=60, le=86_400, description="Seconds until the access token expires.")


class OAuth2ErrorMessage(BaseModel):
    """The token endpoint's error (RFC 6749 §5.2), with the API's usual `detail` beside it."""

    error: Literal["invalid_grant"]
    detail: str = Field(max_length=1000)
