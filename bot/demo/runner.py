"""Play a whole workshop against the real app and the Slack emulator, phase by phase."""

from __future__ import annotations

import secrets
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from pathlib import Path

from rich.console import Console

from bot.demo.app_process import AppConfig, AppProcess
from bot.demo.database import prepare_database
from bot.demo.decisions import PROCEDURES
from bot.demo.errors import DemoError
from bot.demo.expect import card_check
from bot.demo.out_file import check_out, pdf_path, save
from bot.demo.players import Card, CardCheck, Players
from bot.demo.progress import Phases, Step
from bot.demo.result import DemoResult, GroupResult, RecommendationResult, Stand
from bot.demo.roster import import_participants
from bot.demo.script import GROUP_CODES, GROUP_KEYS, GROUP_NAMES, Act, Ballot, Script, write_script
from bot.demo.stances import object_to, reserve
from bot.emulator import Emulator, SlackSender
from bot.ui.render import render
from storage.countries import country_name
from storage.models import Procedure
from storage.rules import AdoptionRule

CHANNELS: dict[str, str] = {key: f"C0WG{GROUP_CODES[key]}" for key in GROUP_KEYS}
PLENARY = "C0PLENARY"
VOTERS_AT_ONCE = 8
CARD_TIMEOUT = 30.0
UPLOAD_TIMEOUT = 180.0  # the build, and LibreOffice's layout for the PDF


def run_demo(
    *,
    out: Path,
    seed: int = 1,
    delegates: int = 24,
    database_url: str | None = None,
    console: Console | None = None,
) -> DemoResult:
    """Play the workshop, save the outcome document to `out` (and its PDF beside it, when
    the app makes one: LibreOffice installed) and return what it must say.

    A relative SQLite `database_url` is a file in the current folder. Raises DemoError, before
    starting anything, if `out` cannot be written or the database already holds a workshop;
    later, when the app does not do what Slack users would see it do.
    """
    script = write_script(seed, delegates)
    check_out(out)
    if database_url is not None:
        database_url = prepare_database(database_url, Path.cwd())
    console = console or Console(stderr=True)
    started = time.monotonic()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rapporteur-demo-")))
        phases = stack.enter_context(Phases(console))
        with phases.phase("Starting the Slack emulator and the app", 2) as step:
            emulator = stack.enter_context(Emulator("127.0.0.1"))
            _register_people(emulator, script)
            step.advance()
            config = AppConfig(
                api_url=emulator.api_url,
                signing_secret=secrets.token_hex(32),
                bot_token=f"xoxb-demo-{secrets.token_hex(12)}",
                organizer_ids=(script.organizer.user_id,),
                database_url=database_url or f"sqlite:///{workdir / 'rapporteur.db'}",
            )
            app = stack.enter_context(AppProcess(config, workdir))
            step.advance()

        def alive() -> None:
            if not app.running():
                raise DemoError("the app stopped unexpectedly\n" + app.log_tail())

        sender = SlackSender(app.events_url, config.signing_secret, emulator_url=emulator.url)
        players = Players(emulator, sender, alive)
        with phases.phase("Importing the participant list, matched by email", 1):
            import_participants(
                script,
                database_url=config.database_url,
                token=config.bot_token,
                api_url=emulator.api_url,
            )
        _set_up_groups(phases, players, script)
        cards = _submit(phases, players, script)
        _vote(phases, players, script, cards)
        _take_stances(phases, players, script, cards)
        with phases.phase("Waiting for the cards to show every vote", len(cards)) as step:
            players.wait_for_cards(_checks(script, cards, is_open=True), CARD_TIMEOUT, step.done)
        _close(phases, players, script, cards)
        groups = _results(script)
        with phases.phase("Compiling the outcome document", 1):
            comment, pdf = _compile(players, script, groups, out)
    return DemoResult(
        seed=seed,
        delegates=delegates,
        clicks=script.clicks(),
        groups=groups,
        document=out.resolve(),
        pdf=pdf.resolve() if pdf else None,
        comment=comment,
        seconds=time.monotonic() - started,
    )


def _register_people(emulator: Emulator, script: Script) -> None:
    """Give the workspace's people full names and emails, as users.info and
    users.lookupByEmail answer in a real workspace."""
    for person in (script.organizer, *script.delegates, *script.observers):
        emulator.add_user(
            person.user_id,
            real_name=person.real_name,
            profile={
                "real_name": person.real_name,
                "display_name": person.handle,
                "email": person.email,
            },
        )


def _set_up_groups(phases: Phases, players: Players, script: Script) -> None:
    """The organizer links a channel to each group; the rapporteurs the participant list
    appointed choose how their groups decide, where it is not by vote."""
    chosen = {k: p for k in GROUP_KEYS if (p := PROCEDURES[k]) is not Procedure.VOTE}
    with phases.phase(
        "Linking channels, choosing procedures", len(GROUP_KEYS) + len(chosen)
    ) as step:
        for key in GROUP_KEYS:
            channel, name = CHANNELS[key], GROUP_NAMES[key]
            linked = render("wg/linked.j2", group=name, key=key)
            players.wg(script.organizer, channel, f"link {key}", linked)
            step.advance()
        for key, procedure in chosen.items():
            said = render(
                "wg/procedure.j2", group=GROUP_NAMES[key], procedure=procedure.value, changed=True
            )
            players.wg(script.rapporteurs[key], CHANNELS[key], f"procedure {procedure}", said)
            step.advance()


def _submit(phases: Phases, players: Players, script: Script) -> list[Card]:
    """Each author submits their proposal through the form, one after the other."""
    cards: list[Card] = []
    posted: dict[str, int] = {}
    with phases.phase("Submitting recommendations", len(script.submissions)) as step:
        for index, submission in enumerate(script.submissions):
            channel = CHANNELS[submission.proposal.group_key]
            cards.append(players.recommend(index, submission, channel, posted.get(channel, 0)))
            posted[channel] = posted.get(channel, 0) + 1
            step.advance()
    return cards


def _vote(phases: Phases, players: Players, script: Script, cards: list[Card]) -> None:
    """Everyone clicks at once (each person in their own order); some change their minds."""
    stop = threading.Event()

    def clicks_of(ballots: list[Ballot], step: Step) -> None:
        for ballot in ballots:
            for choice in ballot.clicks:
                if stop.is_set():
                    return
                players.vote(ballot.voter, cards[ballot.submission], choice)
                step.advance()

    with phases.phase("Voting", script.clicks()) as step:
        pool = ThreadPoolExecutor(VOTERS_AT_ONCE, thread_name_prefix="voter")
        try:
            futures = [pool.submit(clicks_of, ballots, step) for ballots in script.sequences()]
            for future in as_completed(futures):
                future.result()
        finally:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)


def _take_stances(phases: Phases, players: Players, script: Script, cards: list[Card]) -> None:
    """In the group deciding by consensus, a delegation objects to one recommendation and
    another enters a reservation on one it goes along with."""
    acts = len(script.objections) + len(script.reservations)
    with phases.phase("Objecting and entering a reservation", acts) as step:
        for act in script.objections:
            object_to(players, act.person, cards[act.submission], act.text)
            step.advance()
        for act in script.reservations:
            reserve(players, act.person, cards[act.submission], act.text)
            step.advance()


def _close(phases: Phases, players: Players, script: Script, cards: list[Card]) -> None:
    """Each rapporteur closes their group; every card then shows it is closed."""
    with phases.phase("Rapporteurs closing their groups", len(GROUP_KEYS) + len(cards)) as step:
        for key in GROUP_KEYS:
            closed = render("wg/closed.j2", group=GROUP_NAMES[key], changed=True)
            players.wg(script.rapporteurs[key], CHANNELS[key], "close", closed)
            step.advance()

        def shown(done: int) -> None:
            step.done(len(GROUP_KEYS) + done)

        players.wait_for_cards(_checks(script, cards, is_open=False), CARD_TIMEOUT, shown)


def _checks(script: Script, cards: list[Card], *, is_open: bool) -> list[CardCheck]:
    return [card_check(script, card, is_open=is_open) for card in cards]


def _results(script: Script) -> tuple[GroupResult, ...]:
    """Each group's recommendations with the tally the votes give (by its procedure), the
    objections and reservations entered, adopted or not."""
    rule = AdoptionRule()
    groups = []
    for key in GROUP_KEYS:
        recs = []
        for index, submission in enumerate(script.submissions):
            proposal = submission.proposal
            if proposal.group_key != key:
                continue
            recs.append(
                RecommendationResult(
                    number=submission.number,
                    title=proposal.title,
                    text=proposal.text,
                    rationale=proposal.rationale,
                    author=submission.author.handle,
                    country=submission.author.country or "",
                    counts=script.counts(index),
                    adopted=script.adopted(index, rule),
                    procedure=script.procedure(index),
                    objections=_stands(script.objections, index),
                    reservations=_stands(script.reservations, index),
                )
            )
        recs.sort(key=lambda r: int(r.number.rsplit("-", 1)[1]))
        rapporteur = script.rapporteurs[key].handle
        groups.append(GroupResult(key, GROUP_NAMES[key], rapporteur, tuple(recs), PROCEDURES[key]))
    return tuple(groups)


def _stands(acts: tuple[Act, ...], index: int) -> tuple[Stand, ...]:
    return tuple(
        Stand(a.person.country or "", country_name(a.person.country or ""), a.text)
        for a in acts
        if a.submission == index
    )


def _compile(
    players: Players, script: Script, groups: tuple[GroupResult, ...], out: Path
) -> tuple[str, Path | None]:
    """`/wg compile all`; save the uploaded document (and PDF) and check the app's counts.

    Returns the upload's comment and where the PDF was saved (None when the app made none).
    """
    players.wg(script.organizer, PLENARY, "compile all", render("compile/started.j2", group=None))
    uploads = players.wait_for_upload(script.organizer, PLENARY, UPLOAD_TIMEOUT)
    by_kind = {str(u.get("filename") or "").rsplit(".", 1)[-1]: u for u in uploads}
    upload = by_kind.get("docx") or uploads[0]
    content = bytes(upload.get("content") or b"")
    if not content.startswith(b"PK"):
        raise DemoError(f"the uploaded file {upload.get('filename')} is not a Word document")
    save(out, content)
    pdf = None
    if "pdf" in by_kind:
        pdf_content = bytes(by_kind["pdf"].get("content") or b"")
        if not pdf_content.startswith(b"%PDF"):
            raise DemoError(f"the uploaded file {by_kind['pdf'].get('filename')} is not a PDF")
        pdf = pdf_path(out)
        save(pdf, pdf_content)
    comment = str(upload.get("initial_comment") or "")
    expected = render(
        "compile/comment.j2",
        group=None,
        recommendations=sum(g.submitted for g in groups),
        adopted=sum(g.adopted for g in groups),
        votes=sum(g.votes for g in groups),
        status="Final",
    )
    if comment != expected:
        raise DemoError(
            f"the app reported {comment!r} with the document, but the votes cast give "
            f"{expected!r} (saved to {out})"
        )
    return comment, pdf
