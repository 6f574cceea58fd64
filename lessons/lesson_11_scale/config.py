"""Settings: every knob of RepairDesk, read from `REPAIRDESK_*` environment variables.

pydantic-settings validates them once at start-up, so a bad value in a deployment fails
loudly before the first request instead of in the middle of one. The error names the setting
and never shows the value: it may be a secret.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .logs import LogFormat
from .schemas import Email

# Good enough on a laptop, refused in production (see `refuse_development_secret`).
DEVELOPMENT_SECRET_KEY = "repairdesk-development-secret-do-not-use-in-production"  # noqa: S105 (public on purpose)
MIN_PRODUCTION_SECRET_LENGTH = 32


# --8<-- [start:settings]
class Settings(BaseSettings):
    """RepairDesk's configuration; each field is `REPAIRDESK_<FIELD NAME>` in the environment."""

    model_config = SettingsConfigDict(
        env_prefix="REPAIRDESK_",
        extra="ignore",
        hide_input_in_errors=True,  # start-up errors end up in logs; secrets must not
    )

    # A secret too: a PostgreSQL URL carries the password, and `repr(settings)` ends up in logs.
    database_url: SecretStr = Field(
        default=SecretStr("sqlite:///./repairdesk-lesson11.db"),
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user:pw@host/db.",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET_KEY),
        description="Signs the access tokens (HS256). Required in production.",
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
        default=30, ge=1, le=24 * 60, description="Lifetime of an access token."
    )
    db_threads: int = Field(
        default=2,
        ge=1,
        description="Database calls a process runs at once, each in a thread with a connection.",
    )
    password_threads: int = Field(
        default=2,
        ge=1,
        description="Password hashes or checks a process runs at once; each holds 19 MiB.",
    )
    login_attempts: int = Field(
        default=5,
        ge=1,
        description="Sign-ins an email may try per window; then 429 until the window ends.",
    )
    login_window_seconds: int = Field(
        default=300, ge=1, le=24 * 60 * 60, description="The login throttle's window, in seconds."
    )
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1, description="Larger request bodies get 413."
    )
    log_level: str = Field(default="INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$")
    log_format: LogFormat = Field(
        default="text", description="`json`: one JSON object per log line, uvicorn's too."
    )

    @model_validator(mode="after")
    def admin_needs_both(self) -> Self:
        if (self.admin_email is None) != (self.admin_password is None):
            raise ValueError(
                "set REPAIRDESK_ADMIN_EMAIL and REPAIRDESK_ADMIN_PASSWORD together, or neither"
            )
        return self

    @model_validator(mode="after")
    def refuse_development_secret(self) -> Self:
        secret = self.secret_key.get_secret_value()
        if self.production and (
            secret == DEVELOPMENT_SECRET_KEY or len(secret) < MIN_PRODUCTION_SECRET_LENGTH
        ):
            raise ValueError(
                "REPAIRDESK_PRODUCTION is set: REPAIRDESK_SECRET_KEY must be set to a random "
                f"value of at least {MIN_PRODUCTION_SECRET_LENGTH} characters, "
                'e.g. python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        return self

    @property
    def uses_development_secret(self) -> bool:
        return self.secret_key.get_secret_value() == DEVELOPMENT_SECRET_KEY


# --8<-- [end:settings]
