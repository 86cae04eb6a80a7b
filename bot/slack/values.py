"""Ids that travel in Block Kit: button values and views' private_metadata, as typed models.

A payload may be hostile: whatever does not parse is refused as a thing that is not there.
"""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.slack.ids import MenuAction
from bot.slack.parse import ID_MAX
from storage.errors import NotFound


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def dump(self) -> str:
        """The compact JSON that goes into the value or private_metadata."""
        return self.model_dump_json(exclude_none=True)

    # What a payload that does not parse is taken to name (NotFound's `what`).
    missing: ClassVar[str] = "recommendation"

    @classmethod
    def parse(cls, value: object) -> Self:
        """What a button value or a form's private_metadata carries; raises NotFound for
        anything else (a payload may be hostile)."""
        if isinstance(value, str):
            try:
                return cls.model_validate_json(value)
            except ValidationError:
                pass
        raise NotFound(what=cls.missing)


class CardRef(_Value):
    """A card's button: which recommendation it acts on."""

    rec: int = Field(gt=0, lt=10**12)


class FormContext(_Value):
    """A form's private_metadata: the channel it was opened from."""

    channel_id: str | None = Field(default=None, max_length=ID_MAX)

    @classmethod
    def parse(cls, value: object) -> FormContext:
        """What a view carries; an empty context when it carries nothing usable."""
        if isinstance(value, str) and value:
            try:
                return cls.model_validate_json(value)
            except ValidationError:
                pass
        return cls()


class MenuChoice(_Value):
    """An option of a card's menu: what it does, to which recommendation."""

    do: MenuAction
    rec: int = Field(gt=0, lt=10**12)


class ReservationForm(_Value):
    """The reservation form's private_metadata: the recommendation, the delegation the form
    was opened for, and the channel of the card."""

    rec: int = Field(gt=0, lt=10**12)
    delegation: str = Field(min_length=1, max_length=200)
    channel_id: str | None = Field(default=None, max_length=ID_MAX)


class ObjectionForm(_Value):
    """The objection form's private_metadata: the recommendation, and the channel of its card."""

    rec: int = Field(gt=0, lt=10**12)
    channel_id: str | None = Field(default=None, max_length=ID_MAX)


class HomePage(_Value):
    """App Home's page of recommendations waiting for a vote: the `Next` / `Previous`
    buttons' value, and the published view's private_metadata (the page it shows)."""

    page: int = Field(ge=1, le=10**6)

    @classmethod
    def parse(cls, value: object) -> HomePage | None:
        """The page a value names; None for anything else."""
        if isinstance(value, str) and value:
            try:
                return cls.model_validate_json(value)
            except ValidationError:
                pass
        return None


class GroupRef(_Value):
    """App Home's `Close`, `Reopen` and `Compile` buttons: which group they act on."""

    group: str = Field(min_length=1, max_length=64)

    missing: ClassVar[str] = "group"


class TextForm(_Value):
    """The private_metadata of a form acting on a recommendation's text (edit, withdraw,
    amend, merge): the recommendation, the version it was opened on, the card's channel."""

    rec: int = Field(gt=0, lt=10**12)
    version: int | None = Field(default=None, gt=0, lt=10**9)
    channel_id: str | None = Field(default=None, max_length=ID_MAX)


class AmendmentRef(_Value):
    """An amendment's button, or its decision form's private_metadata: which amendment, the
    version the person saw (accepting one whose text changed since) and the channel."""

    am: int = Field(gt=0, lt=10**12)
    seen: int | None = Field(default=None, gt=0, lt=10**9)
    channel_id: str | None = Field(default=None, max_length=ID_MAX)

    missing: ClassVar[str] = "amendment"


def card_value(recommendation_id: int) -> str:
    """The value of a card's buttons."""
    return CardRef(rec=recommendation_id).dump()
