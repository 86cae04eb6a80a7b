"""Domain errors: what a person did that an operation refuses, with the details (params)."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a person can cause; `params` hold the details a message may show."""

    def __init__(self, message: str = "", **params: object) -> None:
        super().__init__(message or self.__class__.__name__)
        self.params = params


class NotPermitted(DomainError):
    """The actor's role does not allow this action (params: action, needed)."""


class UnknownGroup(DomainError):
    """No group has that key (params: key, valid)."""


class UnknownCountry(DomainError):
    """Not an ISO 3166 alpha-2 code (params: code)."""


class ChannelNotLinked(DomainError):
    """The channel is not linked to a group (params: channel_id)."""


class VotingClosed(DomainError):
    """The group is closed (params: group)."""


class NotFound(DomainError):
    """The thing acted on no longer exists (params: what)."""


class InvalidInput(DomainError):
    """A field's value is not acceptable (params: field, problem, limit)."""

    def __init__(self, field: str, problem: str, **params: object) -> None:
        super().__init__(f"{field}: {problem}", field=field, problem=problem, **params)
        self.field = field
        self.problem = problem


class NoConfirmedDelegation(DomainError):
    """Only a confirmed delegate may do this in the group (params: group, procedure, action;
    matching: the person may be on the participant list, being matched to it now)."""


class ObserverRefused(DomainError):
    """Observers never count towards a tally, never object (params: group, organisation, action)."""


class WrongProcedure(DomainError):
    """The card's action does not belong to its group's procedure (params: group, procedure,
    number, action)."""


class NoObjectionToWithdraw(DomainError):
    """The actor's delegation has no standing objection (params: delegation, number, objecting)."""


class DelegationConfirmed(DomainError):
    """The person's delegation comes from the participant list; they cannot declare another
    (params: delegation, code, role)."""


class BallotsRefused(DomainError):
    """A group's ballots cannot be (or stop being) secret (params: group, reason: `delegation`
    for a group deciding by delegation, `secret_to_delegation` for a secret group asked to,
    `cast_in_secret` for a secret group with votes asked to name them)."""
