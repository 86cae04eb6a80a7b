"""The workshop the demo plays, decided up front from a seed: who is who, who says and votes
what, who objects and who enters a reservation; and what each card must then show."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from bot.demo.content import COUNTRIES, HANDLES, ORGANIZER_HANDLE, PROPOSALS, Proposal
from bot.demo.decisions import OBJECTIONS, OBSERVERS, PROCEDURES, RESERVATIONS, Stance
from storage.groups import SEED_GROUPS
from storage.models import Choice, Procedure
from storage.rules import AdoptionRule, Counts

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
    """Someone in the workspace: a Slack user id, a username and (for delegates) a delegation,
    (for observers) an organisation."""

    user_id: str
    handle: str
    country: str | None = None
    group_key: str | None = None  # the group a delegate sits in
    organisation: str | None = None  # an observer's
    domain: str = "example.org"  # of their email address

    @property
    def mention(self) -> str:
        """How Slack escapes a mention of this person in a slash command's text."""
        return f"<@{self.user_id}|{self.handle}>"

    @property
    def real_name(self) -> str:
        """Their full name, as their Slack profile and the participant list give it."""
        return " ".join(part.capitalize() for part in self.handle.replace("_", ".").split("."))

    @property
    def email(self) -> str:
        """Their email address: on the participant list and in their Slack profile."""
        return f"{self.handle}@{self.domain}"


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
class Act:
    """A delegate's objection to, or reservation on, a submission, with its text."""

    submission: int  # index into Script.submissions
    person: Person
    text: str


@dataclass(frozen=True)
class Script:
    """Everything the demo will do, in order; no I/O."""

    seed: int
    organizer: Person
    delegates: tuple[Person, ...]
    rapporteurs: dict[str, Person]  # group key → rapporteur
    submissions: tuple[Submission, ...]
    ballots: tuple[Ballot, ...]  # none on the cards of a group deciding by consensus
    observers: tuple[Person, ...] = ()
    objections: tuple[Act, ...] = ()
    reservations: tuple[Act, ...] = ()

    def procedure(self, index: int) -> Procedure:
        """How the group of submission `index` decides."""
        return PROCEDURES[self.submissions[index].proposal.group_key]

    def counts(self, index: int) -> Counts:
        """The tally the card of submission `index` must end with: people's votes, or by
        delegation each delegation's latest click (none by consensus)."""
        mine = [b for b in self.ballots if b.submission == index]
        if self.procedure(index) is Procedure.DELEGATION:
            finals = list({b.voter.country: b.final for b in mine}.values())
        else:
            finals = [b.final for b in mine]
        return Counts(
            support=finals.count(Choice.SUPPORT),
            oppose=finals.count(Choice.OPPOSE),
            abstain=finals.count(Choice.ABSTAIN),
        )

    def objecting(self, index: int) -> tuple[str, ...]:
        """The delegations objecting to submission `index`, by code."""
        return tuple(
            sorted({a.person.country or "" for a in self.objections if a.submission == index})
        )

    def reserving(self, index: int) -> tuple[str, ...]:
        """The delegations with a reservation on submission `index`, by code, sorted."""
        return tuple(
            sorted({a.person.country or "" for a in self.reservations if a.submission == index})
        )

    def adopted(self, index: int, rule: AdoptionRule) -> bool:
        """Whether submission `index` must come out adopted under `rule` and its procedure."""
        return rule.decides(self.procedure(index), self.counts(index), bool(self.objecting(index)))

    def clicks(self) -> int:
        """How many button clicks the votes take."""
        return sum(len(b.clicks) for b in self.ballots)

    def sequences(self) -> Iterator[list[Ballot]]:
        """The ballots that must be clicked one after the other, in order: each voter's own in
        groups deciding by vote, and each delegation's in a group deciding by delegation (its
        latest click counts, so the order of its delegates' clicks must be known)."""
        runs: dict[str, list[Ballot]] = {}
        for ballot in self.ballots:
            by_delegation = self.procedure(ballot.submission) is Procedure.DELEGATION
            key = f"delegation:{ballot.voter.country}" if by_delegation else ballot.voter.user_id
            runs.setdefault(key, []).append(ballot)
        yield from runs.values()


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
        observers=tuple(
            Person(o.user_id, o.handle, organisation=o.organisation, domain=o.domain)
            for o in OBSERVERS
        ),
        objections=_acts(rng, people, submissions, OBJECTIONS),
        reservations=_acts(rng, people, submissions, RESERVATIONS),
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
        domain = f"{country.lower()}.example.org"
        people.append(Person(f"U{country}{nth + 1:04d}", handle, country, group, domain=domain))
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
        if PROCEDURES[submission.proposal.group_key] is Procedure.CONSENSUS:
            continue  # no vote buttons: adopted unless a delegation objects
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


def _acts(
    rng: random.Random,
    people: tuple[Person, ...],
    submissions: tuple[Submission, ...],
    stances: tuple[Stance, ...],
) -> tuple[Act, ...]:
    """Who of each stance's delegation takes it (someone seated in the group, if possible)."""
    acts = []
    for stance in stances:
        index = next(i for i, s in enumerate(submissions) if s.proposal.title == stance.title)
        same = [p for p in people if p.country == stance.country]
        seated = [p for p in same if p.group_key == submissions[index].proposal.group_key]
        acts.append(Act(index, rng.choice(seated or same), stance.text))
    return tuple(acts)


def _choice(rng: random.Random, appeal: float) -> Choice:
    if rng.random() < appeal:
        return Choice.SUPPORT
    return Choice.OPPOSE if rng.random() < OPPOSE_SHARE else Choice.ABSTAIN
