"""Domain errors. Each names the message template the app shows for it."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a person can cause; `template` names the message shown."""

    template = "errors/generic.j2"

    def __init__(self, message: str = "", **params: object) -> None:
        super().__init__(message or self.__class__.__name__)
        self.params = params


class NotPermitted(DomainError):
    """The actor's role does not allow this action (params: action, needed)."""

    template = "errors/not_permitted.j2"


class UnknownGroup(DomainError):
    """No group has that key (params: key, valid)."""

    template = "errors/unknown_group.j2"


class UnknownCountry(DomainError):
    """Not an ISO 3166 alpha-2 code (params: code)."""

    template = "errors/unknown_country.j2"


class ChannelNotLinked(DomainError):
    """The channel is not linked to a group (params: channel_id)."""

    template = "errors/channel_not_linked.j2"


class VotingClosed(DomainError):
    """The group is closed (params: group)."""

    template = "errors/voting_closed.j2"


class NotFound(DomainError):
    """The thing acted on no longer exists (params: what)."""

    template = "errors/not_found.j2"


class InvalidInput(DomainError):
    """A field's value is not acceptable (params: field, problem, limit)."""

    template = "errors/invalid_input.j2"

    def __init__(self, field: str, problem: str, **params: object) -> None:
        super().__init__(f"{field}: {problem}", field=field, problem=problem, **params)
        self.field = field
        self.problem = problem
