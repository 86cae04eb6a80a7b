"""The participant list in Slack, through signed requests against the emulator: `/wg seat`,
`/wg roster`, `/wg country` for a listed person, matching at first use, and a list imported
by another process while the app runs."""

from __future__ import annotations

from sqlalchemy import select

from bot.cli_roster import import_roster
from bot.ui.roster import ROSTER_TEXT_MAX
from storage.models import AuditEntry, Participant, Person
from tests.cli.shell import run
from tests.harness import BOT_TOKEN, ORGANIZER, Harness

CHANNEL = "CEEROSTER"
KHMER = "សុខ ដារ៉ា"
LAO = "ສົມພອນ ວົງສາ"
REFUSED_TH = (
    "You are on the participant list as a delegate of Thailand (TH); ask an organizer to change it."
)


def import_list(harness: Harness, text: str, *, token: str | None = None) -> str:
    """Import a list into the app's database, as `rapporteur roster import` does."""
    outcome = import_roster(
        text.encode("utf-8"),
        source="list.csv",
        session_factory=harness.app.session_factory,
        token=token,
        api_url=harness.emulator.api_url,
    )
    assert outcome.status == 0, outcome.err
    return outcome.out


def confirmed(harness: Harness, user_id: str) -> tuple[str | None, str | None]:
    with harness.app.session_factory() as session:
        person = session.get(Person, user_id)
        return (person.delegation, person.role) if person else (None, None)


def command(harness: Harness, user: str, text: str, channel: str = CHANNEL) -> dict:
    return harness.command(user, channel, "/wg", text)


# --- /wg seat ----------------------------------------------------------------------------


def test_an_organizer_seats_a_delegate_and_an_observer_in_any_channel(harness: Harness):
    answer = command(harness, ORGANIZER, "seat <@UDEL1|Somchai Prasert> th", channel="CANY")
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == (
        ":busts_in_silhouette: <@UDEL1> is now seated as a delegate of *Thailand* (`TH`)."
    )
    assert confirmed(harness, "UDEL1") == ("TH", "delegate")
    observer = harness.wg(ORGANIZER, "CANY", "seat <@UOBS> observer European Union")
    assert (
        observer
        == ":busts_in_silhouette: <@UOBS> is now seated as an observer for *European Union*."
    )
    assert confirmed(harness, "UOBS") == ("European Union", "observer")
    # A country's name works as well as its code.
    assert "*Viet Nam* (`VN`)" in harness.wg(ORGANIZER, "CANY", "seat <@UDEL2> Viet Nam")
    with harness.app.session_factory() as session:
        seats = session.scalars(select(AuditEntry).where(AuditEntry.action == "seat")).all()
        assert [(e.actor_user_id, e.target) for e in seats] == [
            (ORGANIZER, "UDEL1"),
            (ORGANIZER, "UOBS"),
            (ORGANIZER, "UDEL2"),
        ]


def test_seat_is_refused_to_others_and_explains_its_usage(harness: Harness):
    refusal = harness.wg("UDEL1", CHANNEL, "seat <@UDEL1> TH")
    assert "Only an organizer can use `seat`" in refusal
    assert confirmed(harness, "UDEL1") == (None, None)
    usage = "Usage: `/wg seat @person CODE`"
    for text in ("seat", "seat TH", "seat <@UDEL1>", "seat <@UDEL1> observer", "seat someone TH"):
        assert usage in harness.wg(ORGANIZER, CHANNEL, text), text
    bad = harness.wg(ORGANIZER, CHANNEL, "seat <@UDEL1> XX")
    assert bad.startswith(":warning: `XX` is not an ISO 3166 country code")
    escaped = harness.wg(ORGANIZER, CHANNEL, "seat <@UDEL1> <!channel>")
    assert "<!channel>" not in escaped and "&lt;!channel&gt;" in escaped
    too_long = harness.wg(ORGANIZER, CHANNEL, "seat <@UDEL1> observer " + "O" * 201)
    assert "at most 200 characters" in too_long
    with harness.app.session_factory() as session:
        assert session.scalar(select(Participant)) is None


# --- /wg country for a listed person ---------------------------------------------------


def test_a_listed_person_cannot_declare_another_delegation(harness: Harness):
    assert "Thailand" in harness.wg(ORGANIZER, CHANNEL, "seat <@UDEL1> TH")
    refused = harness.wg("UDEL1", CHANNEL, "country VN")
    assert REFUSED_TH in refused
    assert confirmed(harness, "UDEL1") == ("TH", "delegate")
    assert "Your delegation is now *Thailand* (`TH`)" in harness.wg("UDEL1", CHANNEL, "country th")
    harness.wg(ORGANIZER, CHANNEL, "seat <@UOBS> observer UNODC")
    observer = harness.wg("UOBS", CHANNEL, "country TH")
    assert "as an observer for UNODC; ask an organizer to change it." in observer
    # Not on the list: declared as before.
    assert "Viet Nam" in harness.wg("UFREE", CHANNEL, "country VN")


# --- /wg roster --------------------------------------------------------------------------

LIST = (
    "name,email,delegation,role,group,organisation\n"
    "Somchai Prasert,user.udel1@example.org,TH,rapporteur,e-evidence,Royal Thai Police\n"
    f"{KHMER},user.udel2@example.org,KH,,,\n"
    f"{LAO},somphone@example.org,LA,,e-evidence,\n"
    "Jane <b> & Doe,user.uobs@example.org,UNODC,observer,,\n"
    "Maria Santos,maria@example.org,PH,,victim-protection,\n"
)


def test_roster_shows_the_groups_delegations_observers_and_who_has_not_joined(harness: Harness):
    harness.link(CHANNEL)
    report = import_list(harness, LIST, token=BOT_TOKEN)  # users.lookupByEmail on the emulator
    assert "Matched to a Slack account by this import: 3; not matched yet: 2." in report
    assert group_rapporteur(harness) == "UDEL1"
    answer = command(harness, "UANYONE", "roster")
    assert answer["response_type"] == "ephemeral"
    text = answer["text"]
    assert text.splitlines()[0] == (
        ":busts_in_silhouette: *Participant list — Electronic evidence*: 4 people "
        "(3 delegations, 1 observer), 1 not joined yet."
    )
    assert "*Not joined yet* (no Slack account matched by email" in text
    assert f"{LAO} (LA)" in text.splitlines()[1]
    order = [line for line in text.splitlines()[2:]]
    assert order == [
        "*Cambodia* (`KH`)",
        f"• {KHMER} — delegate · <@UDEL2>",
        "*Lao People's Democratic Republic* (`LA`)",
        f"• {LAO} — delegate · _not joined yet_",
        "*Thailand* (`TH`)",
        "• Somchai Prasert (Royal Thai Police) — rapporteur · <@UDEL1>",
        "*Observers* (never counted in a tally)",
        "• Jane &lt;b&gt; &amp; Doe — UNODC · <@UOBS>",
    ]
    assert "Maria" not in text  # sits in another group
    unlinked = harness.wg("UANYONE", "CNOTLINKED", "roster")
    assert "not linked" in unlinked
    assert "takes no arguments" in harness.wg("UANYONE", CHANNEL, "roster all")


def group_rapporteur(harness: Harness) -> str | None:
    status = harness.wg("UANYONE", CHANNEL, "status")
    line = next(line for line in status.splitlines() if "Electronic evidence" in line)
    return "UDEL1" if "<@UDEL1>" in line else None


def test_a_long_roster_is_cut_within_slacks_limits(harness: Harness):
    harness.link(CHANNEL)
    rows = "".join(f"Delegate number {n:03d},d{n}@example.org,VN,,,\n" for n in range(300))
    import_list(harness, "name,email,delegation,role,group,organisation\n" + rows)
    text = harness.wg("UANYONE", CHANNEL, "roster")
    assert len(text) <= ROSTER_TEXT_MAX
    last = text.splitlines()[-1]
    assert last.startswith("… and ") and last.endswith(" more")
    shown = text.count("• Delegate number")
    assert int(last.split()[2]) == 300 - shown and shown > 20


def test_an_empty_roster_says_how_to_fill_it(harness: Harness):
    harness.link(CHANNEL)
    text = harness.wg("UANYONE", CHANNEL, "roster")
    assert "Nobody on the participant list takes part in *Electronic evidence* yet" in text
    assert "rapporteur roster import FILE.csv" in text


# --- matching at first use ---------------------------------------------------------------


def test_a_person_is_matched_when_they_first_use_the_app(harness: Harness):
    harness.link(CHANNEL)
    report = import_list(harness, LIST)  # no token: nobody matched at import
    assert "Slack was not asked (no SLACK_BOT_TOKEN)" in report
    harness.emulator.add_user("UDEL2", profile={"real_name": "Sok (Slack profile name)"})
    harness.wg("UDEL2", CHANNEL, "status")  # their first request; matched after it
    assert confirmed(harness, "UDEL2") == ("KH", "delegate")
    with harness.app.session_factory() as session:
        person = session.get(Person, "UDEL2")
        assert (person.name, person.email, person.country_code) == (
            KHMER,  # the list's name wins over the Slack profile's
            "user.udel2@example.org",
            "KH",
        )
        row = session.scalar(select(Participant).where(Participant.user_id == "UDEL2"))
        assert row is not None and row.email == "user.udel2@example.org"
    calls = len(harness.emulator.calls("users.info"))
    # Once matched, nothing more is looked up, whatever they do.
    card = harness.recommend("UDEL2", CHANNEL, "Preserve subscriber data for 180 days")
    harness.vote("UDEL2", card, "support")
    harness.settle()
    harness.wg("UDEL2", CHANNEL, "status")
    assert len(harness.emulator.calls("users.info")) == calls
    assert "Cambodia (KH)" in harness.wg("UDEL2", CHANNEL, "country VN")


def test_a_person_not_on_the_list_is_not_looked_up_on_every_click(harness: Harness):
    harness.link(CHANNEL)
    import_list(harness, LIST)
    card = harness.recommend("UDEL1", CHANNEL, "Designate 24/7 contact points")
    before = [c["params"]["user"] for c in harness.emulator.calls("users.info")]
    for choice in ("support", "oppose", "abstain", "support"):
        harness.vote("UOTHER", card, choice)
        harness.settle()
    looked_up = [c["params"]["user"] for c in harness.emulator.calls("users.info")]
    assert looked_up[len(before) :].count("UOTHER") == 1
    assert confirmed(harness, "UOTHER") == (None, None)
    assert confirmed(harness, "UDEL1") == ("TH", "rapporteur")


def test_without_a_list_nobody_is_looked_up(harness: Harness):
    harness.link(CHANNEL)
    harness.wg("UDEL1", CHANNEL, "status")
    harness.wg("UDEL2", CHANNEL, "help")
    assert harness.emulator.calls("users.info") == []


# --- a list imported by another process while the app runs -------------------------------


def test_a_list_imported_while_the_app_runs_is_used_at_once(
    harness: Harness, database_url, tmp_path
):
    harness.link(CHANNEL)
    assert "Viet Nam" in harness.wg("UDEL1", CHANNEL, "country VN")  # before any list
    assert "Nobody on the participant list" in harness.wg("UANYONE", CHANNEL, "roster")
    path = tmp_path / "participants.csv"
    path.write_bytes(("\ufeff" + LIST.replace("\n", "\r\n")).encode("utf-8"))
    result = run("roster", "import", str(path), database_url=database_url)
    assert result.returncode == 0, result.stderr
    # The app, never restarted, shows the new list and holds people to it.
    assert "4 people (3 delegations, 1 observer)" in harness.wg("UANYONE", CHANNEL, "roster")
    harness.wg("UDEL1", CHANNEL, "status")  # UDEL1's next request matches them (users.info)
    assert confirmed(harness, "UDEL1") == ("TH", "rapporteur")
    refused = harness.wg("UDEL1", CHANNEL, "country VN")
    assert "as a rapporteur of the delegation of Thailand (TH); ask an organizer" in refused
