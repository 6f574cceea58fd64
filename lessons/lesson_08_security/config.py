"""Configuration: read once, from the environment and a `.env` file, validated at start-up.

Every setting is a `REPAIRDESK_<NAME>` environment variable; for development they can also
sit in `.env` beside this file (copy `.env.example`). A wrong or missing value stops the app
before it serves a single request, with a message naming the variable to fix.
"""

import re
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from .schemas import Email

ENV_PREFIX = "REPAIRDESK_"
# Beside the code, not in the working directory: found wherever the app is started from.
ENV_FILE = Path(__file__).with_name(".env")
# Good enough on a laptop, refused in production (see `refuse_development_secret`).
DEVELOPMENT_SECRET_KEY = "repairdesk-development-secret-do-not-use-in-production"  # noqa: S105 (public on purpose)


# --8<-- [start:settings]
class Settings(BaseSettings):
    """Everything that differs between a laptop, the tests and production."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=ENV_FILE,
        # Any line of .env that is not a setting (misspelt, or unprefixed) is an error, not a
        # setting silently left at its default. The environment is not checked: it holds
        # every other program's variables too.
        extra="forbid",
        # Errors leave the rejected value out (it may be a secret), also when the settings
        # are built directly, as tests do, and not through load_settings() below.
        hide_input_in_errors=True,
    )

    # A secret too: a PostgreSQL URL carries the password (postgresql+psycopg://app:pw@host/db).
    database_url: SecretStr = Field(
        default=SecretStr("sqlite:///./repairdesk-lesson08.db"),
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user:password@host/db.",
    )
    # Lesson 06's knobs, now validated: a pool of "five" or -1 stops the app at start-up.
    db_pool_size: int = Field(default=5, ge=1, description="Connections the pool keeps open.")
    db_max_overflow: int = Field(default=10, ge=0, description="Extra connections under load.")
    db_pool_timeout: float = Field(default=30, gt=0, description="Seconds to wait for one.")
    # Whoever knows it can sign a token for any user. The default is public, so production
    # refuses it: generate one, never reuse an example:
    # python -c "import secrets; print(secrets.token_urlsafe(48))"
    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET_KEY),
        min_length=32,
        description="Signs the access tokens. Required in production.",
    )
    production: bool = Field(
        default=False, description="Refuse development defaults (the secret key)."
    )
    admin_email: Email | None = Field(
        default=None, description="With admin_password: the admin created at start-up."
    )
    admin_password: SecretStr | None = Field(
        default=None, min_length=8, max_length=128, description="The admin's password."
    )
    access_token_minutes: int = Field(
        default=30, ge=1, le=24 * 60, description="How long an access token is valid."
    )
    # Each Argon2 hash or check holds 19 MiB while it runs: this many at once, at most.
    password_threads: int = Field(
        default=2, ge=1, le=16, description="Password hashes or checks run at the same time."
    )
    login_attempts: int = Field(
        default=5, ge=1, description="Logins one account may try per window before a 429."
    )
    login_window_seconds: int = Field(
        default=300,
        ge=1,
        le=24 * 60 * 60,
        description="How long the login attempts of one account are counted.",
    )
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1, description="Larger request bodies get 413."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="The app's own log lines below this level are left out."
    )

    @field_validator("database_url")
    @classmethod
    def refuse_in_memory_sqlite(cls, url: SecretStr) -> SecretStr:
        # Every connection to it opens a new, empty database: the migrations would fill one
        # and the app would read another.
        if url.get_secret_value() in {"sqlite://", "sqlite:///:memory:"}:
            raise ValueError("an in-memory SQLite database cannot be migrated; use a file")
        return url

    @model_validator(mode="after")
    def admin_needs_both(self) -> Self:
        if (self.admin_email is None) != (self.admin_password is None):
            raise ValueError(
                f"set {ENV_PREFIX}ADMIN_EMAIL and {ENV_PREFIX}ADMIN_PASSWORD together, or neither"
            )
        return self

    @model_validator(mode="after")
    def refuse_development_secret(self) -> Self:
        if self.production and self.secret_key.get_secret_value() == DEVELOPMENT_SECRET_KEY:
            raise ValueError(
                f"{ENV_PREFIX}PRODUCTION is set: {ENV_PREFIX}SECRET_KEY must be set to a random "
                "value of at least 32 characters, "
                'e.g. python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        return self

    @property
    def uses_development_secret(self) -> bool:
        return self.secret_key.get_secret_value() == DEVELOPMENT_SECRET_KEY


# --8<-- [end:settings]


# --8<-- [start:load]
class InvalidSettingsError(Exception):
    """The configuration is wrong; the message names each variable and what is wrong with it."""


def load_settings(**values: Any) -> Settings:
    """Settings from the environment and `.env`; keyword arguments win over both."""
    try:
        return Settings(**values)
    except ValidationError as error:
        problems = [describe(problem) for problem in error.errors()]
    except SettingsError as error:
        # A dict or list setting is parsed as JSON before validation even starts.
        problems = [describe_unparsable(error)]
    hint = f"Set them in the environment or in {ENV_FILE} (see .env.example beside it)."
    raise InvalidSettingsError("\n".join(["Invalid settings:", *problems, hint])) from None


def describe(problem: ErrorDetails) -> str:
    """One line per problem, naming the variable; the value (maybe a secret) is left out."""
    if not problem["loc"]:  # a rule across settings, whose message names them
        return f"  {problem['msg'].removeprefix('Value error, ')}"
    name = str(problem["loc"][0]).upper()
    if problem["type"] == "extra_forbidden":
        # Pydantic reports an unknown .env entry under its full name, prefix included.
        return f"  {name}: not a setting of this app (misspelt?)"
    return f"  {ENV_PREFIX}{name}: {problem['msg']}"


def describe_unparsable(error: SettingsError) -> str:
    """pydantic-settings names the field only in its message, and never shows the value."""
    field = re.search(r'field "(\w+)"', str(error))
    if field is None:  # worded differently by another version: show the message as it is
        return f"  {error}"
    return f"  {ENV_PREFIX}{field[1].upper()}: not valid JSON"


# --8<-- [end:load]
