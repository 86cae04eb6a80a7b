"""The workshop the demo plays, decided up front from a seed: who is who, who says and votes what."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from bot.demo.content import COUNTRIES, HANDLES, ORGANIZER_HANDLE, PROPOSALS, Proposal
from storage.groups import SEED_GROUPS
from storage.models import Choice
from storage.rules import Counts

GROUP_KEYS: tuple[str, ...] = tuple(key for key, _, _ in SEED_GROUPS)
GROUP_NAMES: dict[str, str] = {key: name for key, name, _ in SEED_GROUPS}
GROUP_CODES: dict[str, str] = {key: code for key, _, code in SEED_GROUPS}
# Every delegation submits proposals, so each needs someone in the room.
MIN_DELEGATES = len(COUNTRIES)
# About 3,800 clicks; the demo then still takes well under a minute.
MAX_DELEGATES = 500

# How the seeded room behaves.
TURNOUT = 0.85  # a group member votes on a card of their group
VISITOR = 0.1  # someone from another group drops in and votes
CHANGE = 0.15  # a voter first clicks something else, then changes their mind
RECLICK = 0.05  # a voter clicks their choice twice (the second click changes nothing)
APPEAL = (0.1, 0.85)  # range of a card's chance to win each vote: some pass easily, some fail
OPPOSE_SHARE = 0.7  # of the votes that are not Support, the share that oppose (rest abstain)


@dataclass(frozen=True)
class Person:
    """Someone in the workspace: a Slack user id, a username and (for delegates) a delegation."""

    user_id: str
    handle: str
    country: str | None = None
    group_key: str | None = None  # the group a delegate sits in

    @property
    def mention(self) -> str:
        """How Slack escapes a mention of this person in a slash command's text."""
        return f"<@{self.user_id}|{self.handle}>"


@dataclass(frozen=True)
class Submission:
    """A proposal, who submits it and the number the app should give it."""

    proposal: Proposal
    author: Person
    number: str  # e.g. "EE-2": groups number their recommendations in submission order


@dataclass(frozen=True)
class Ballot:
    """One person's clicks on one card, in order; the last click is their vote."""

    voter: Person
    submission: int  # index into Script.submissions
    clicks: tuple[Choice, ...]

    @property
    def final(self) -> Choice:
        """The vote that counts."""
        return self.clicks[-1]


@dataclass(frozen=True)
class Script:
    """Everything the demo will do, in order; no I/O."""

    seed: int
    organizer: Person
    delegates: tuple[Person, ...]
    rapporteurs: dict[str, Person]  # group key → rapporteur
    submissions: tuple[Submission, ...]
    ballots: tuple[Ballot, ...]

    def counts(self, index: int) -> Counts:
        """The tally the card of submission `index` must end with."""
        finals = [b.final for b in self.ballots if b.submission == index]
        return Counts(
            support=finals.count(Choice.SUPPORT),
            oppose=finals.count(Choice.OPPOSE),
            abstain=finals.count(Choice.ABSTAIN),
        )

    def clicks(self) -> int:
        """How many button clicks the votes take."""
        return sum(len(b.clicks) for b in self.ballots)

    def by_voter(self) -> Iterator[tuple[Person, list[Ballot]]]:
        """Each voter's ballots, in the order they click them."""
        voters: dict[str, list[Ballot]] = {}
        for ballot in self.ballots:
            voters.setdefault(ballot.voter.user_id, []).append(ballot)
        people = {b.voter.user_id: b.voter for b in self.ballots}
        for user_id, ballots in voters.items():
            yield people[user_id], ballots


def write_script(seed: int, delegates: int) -> Script:
    """Cast the delegates, share out the proposals and decide every click, from `seed`."""
    if not MIN_DELEGATES <= delegates <= MAX_DELEGATES:
        raise ValueError(f"delegates must be between {MIN_DELEGATES} and {MAX_DELEGATES}")
    rng = random.Random(seed)
    people = _delegates(delegates)
    rapporteurs = {
        key: rng.choice([p for p in people if p.group_key == key] or list(people))
        for key in GROUP_KEYS
    }
    submissions = _submissions(rng, people)
    ballots = _ballots(rng, people, submissions)
    return Script(
        seed=seed,
        organizer=Person("U0ORGANIZER", ORGANIZER_HANDLE),
        delegates=people,
        rapporteurs=rapporteurs,
        submissions=submissions,
        ballots=ballots,
    )


def _delegates(count: int) -> tuple[Person, ...]:
    """Delegates round-robin over the delegations; each delegation spread over the groups."""
    people = []
    for index in range(count):
        country = COUNTRIES[index % len(COUNTRIES)]
        nth = index // len(COUNTRIES)
        names = HANDLES[country]
        handle = names[nth % len(names)] + (str(nth // len(names) + 1) if nth >= len(names) else "")
        # Stepping by 3 (coprime to 4 groups) gives each delegation a seat in every group.
        group = GROUP_KEYS[(index % len(COUNTRIES) + 3 * nth) % len(GROUP_KEYS)]
        people.append(Person(f"U{country}{nth + 1:04d}", handle, country, group))
    return tuple(people)


def _submissions(rng: random.Random, people: tuple[Person, ...]) -> tuple[Submission, ...]:
    """Who submits each proposal (someone of its delegation, in its group if possible), in order."""
    order = list(PROPOSALS)
    rng.shuffle(order)
    seen: dict[str, int] = {}
    out = []
    for proposal in order:
        same = [p for p in people if p.country == proposal.country]
        seated = [p for p in same if p.group_key == proposal.group_key]
        author = rng.choice(seated or same)
        seen[proposal.group_key] = seen.get(proposal.group_key, 0) + 1
        number = f"{GROUP_CODES[proposal.group_key]}-{seen[proposal.group_key]}"
        out.append(Submission(proposal, author, number))
    return tuple(out)


def _ballots(
    rng: random.Random, people: tuple[Person, ...], submissions: tuple[Submission, ...]
) -> tuple[Ballot, ...]:
    """Each card gets an appeal; the room votes accordingly, some change their minds."""
    ballots = []
    for index, submission in enumerate(submissions):
        appeal = rng.uniform(*APPEAL)
        for person in people:
            if person == submission.author:
                ballots.append(Ballot(person, index, (Choice.SUPPORT,)))
                continue
            member = person.group_key == submission.proposal.group_key
            if rng.random() >= (TURNOUT if member else VISITOR):
                continue
            final = _choice(rng, appeal)
            clicks = [final]
            if rng.random() < CHANGE:
                clicks.insert(0, rng.choice([c for c in Choice if c is not final]))
            if rng.random() < RECLICK:
                clicks.append(final)
            ballots.append(Ballot(person, index, tuple(clicks)))
    rng.shuffle(ballots)
    return tuple(ballots)


def _choice(rng: random.Random, appeal: float) -> Choice:
    if rng.random() < appeal:
        return Choice.SUPPORT
    return Choice.OPPOSE if rng.random() < OPPOSE_SHARE else Choice.ABSTAIN
