"""Settings from the environment and a .env file, validated at start-up."""

from __future__ import annotations

import shutil
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from storage.models import Procedure
from storage.rules import AdoptionRule, Majority
from storage.urls import check_database_url, default_database_url
from storage.visibility import Ballots, Tallies

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SOFFICE = "soffice"  # LibreOffice's command, as bot.report.libreoffice runs it


class Environment(StrEnum):
    PRODUCTION = "production"
    DEVELOPMENT = "development"


class ReportPdf(StrEnum):
    """REPORT_PDF: whether `/wg compile` uploads a PDF beside the .docx."""

    AUTO = "auto"  # when LibreOffice is installed
    ALWAYS = "always"  # LibreOffice is required at start-up
    NEVER = "never"


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it."""


class Settings(BaseSettings):
    """Every setting Rapporteur reads (see .env.example)."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
    )

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    public_url: str | None = None  # where people reach the app: the board's links
    database_url: str = Field(default_factory=default_database_url)
    organizer_user_ids: Annotated[frozenset[str], NoDecode] = frozenset()

    environment: Environment = Environment.PRODUCTION
    log_format: str = "json"
    log_level: str = "INFO"
    web_concurrency: int = Field(default=2, ge=1, le=64)
    web_threads: int = Field(default=16, ge=1, le=256)
    card_update_interval: float = Field(default=1.0, ge=0.05, le=60)
    vote_confirmation_interval: float = Field(default=2.0, ge=0, le=60)

    workshop_title: str = (
        "Regional Thematic Workshop on Investigating and Prosecuting High-Tech Crime, "
        "especially Online Fraud Centres"
    )
    workshop_venue: str = "Da Nang, Viet Nam"
    workshop_dates: str = "19–20 August"
    workshop_organizers: str = "UNODC with the Supreme People's Procuracy of Viet Nam"
    workshop_timezone: str = "UTC"  # IANA name: the wall times of /wg deadline
    reminder_minutes_before: int = Field(default=60, ge=0, le=7 * 24 * 60)  # 0: no reminders
    adoption_majority: Majority = Majority.SIMPLE
    adoption_quorum: int = Field(default=0, ge=0)
    decision_procedure: Procedure = Procedure.VOTE  # a group's until /wg procedure sets one
    tallies: Tallies = Tallies.LIVE  # a group's until /wg tallies sets one
    ballots: Ballots = Ballots.NAMED  # a group's until /wg ballots sets one
    report_template: Path | None = None
    report_font_latin: str = "Noto Sans"
    report_font_khmer: str = "Noto Sans Khmer"
    report_font_lao: str = "Noto Sans Lao"
    report_font_thai: str = "Noto Sans Thai"
    report_font_hangul: str = "Noto Sans CJK KR"
    report_font_display: str = "Noto Serif"
    report_pdf: ReportPdf = ReportPdf.AUTO

    @field_validator("organizer_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            ids = [part.strip() for part in value.split(",") if part.strip()]
            for user_id in ids:
                if not user_id.isalnum() or not user_id[:1].isupper():
                    raise ValueError(f"{user_id!r} is not a Slack user id like U0123ABCD")
            return frozenset(ids)
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")) or " " in value:
            raise ValueError("must be an http(s) URL such as https://rapporteur.example.org")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return check_database_url(value)

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in ("json", "text"):
            raise ValueError("must be json or text")
        return value.lower()

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError("must be one of " + ", ".join(LOG_LEVELS))
        return value.upper()

    @field_validator("tallies", "ballots", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("ballots")
    @classmethod
    def _secret_needs_people(cls, value: Ballots, info: ValidationInfo) -> Ballots:
        if value is Ballots.SECRET and info.data.get("decision_procedure") == Procedure.DELEGATION:
            raise ValueError(
                "secret cannot be the default while DECISION_PROCEDURE is delegation: "
                "a delegation's vote is a public act"
            )
        return value

    @field_validator("workshop_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        name = value.strip()
        try:
            ZoneInfo(name)
        except (ValueError, ZoneInfoNotFoundError):
            raise ValueError(
                f"unknown time zone {value!r}: use an IANA name such as Asia/Ho_Chi_Minh or UTC"
            ) from None
        return name

    @field_validator("decision_procedure", mode="before")
    @classmethod
    def _procedure(cls, value: object) -> object:
        if isinstance(value, str):
            name = value.strip().lower()
            if name not in {p.value for p in Procedure}:
                choices = ", ".join(p.value for p in Procedure)
                raise ValueError(f"{value!r} is not a decision procedure: use one of {choices}")
            return name
        return value

    @field_validator("report_template")
    @classmethod
    def _template_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("report_pdf")
    @classmethod
    def _pdf_needs_libreoffice(cls, value: ReportPdf) -> ReportPdf:
        if value is ReportPdf.ALWAYS and shutil.which(SOFFICE) is None:
            raise ValueError(
                "always needs LibreOffice, and `soffice` is not on PATH: install it "
                "(Debian: libreoffice-writer-nogui) or set REPORT_PDF=auto or never"
            )
        return value

    @property
    def wants_pdf(self) -> bool:
        """Whether compiles make a PDF: `always`, or `auto` with LibreOffice installed now."""
        if self.report_pdf is ReportPdf.AUTO:
            return shutil.which(SOFFICE) is not None
        return self.report_pdf is ReportPdf.ALWAYS

    @property
    def adoption_rule(self) -> AdoptionRule:
        """The adoption rule these settings choose."""
        return AdoptionRule(majority=self.adoption_majority, quorum=self.adoption_quorum)

    def require(self, *names: str) -> None:
        """Raise SettingsError naming each of these settings that is empty."""
        missing = [n.upper() for n in names if not getattr(self, n)]
        if missing:
            raise SettingsError("Missing setting: " + ", ".join(missing))


def load_settings(**overrides: object) -> Settings:
    """Read settings; raise SettingsError naming any malformed one."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            name = ".".join(str(p) for p in item["loc"]).upper() or "settings"
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"{name}: {message}")
        raise SettingsError("Invalid setting " + "; ".join(problems)) from None
