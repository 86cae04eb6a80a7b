"""bot.ui.roster: a group's participant list as one message, escaped, ordered, cut in time."""

from __future__ import annotations

from bot.ui.roster import ROSTER_TEXT_MAX, roster_text
from storage.models import Role
from storage.participants import Listed


def listed(
    name: str,
    delegation: str,
    role: Role = Role.DELEGATE,
    user_id: str | None = "U1",
    organisation: str | None = None,
) -> Listed:
    return Listed(
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        delegation=delegation,
        role=role,
        group_key=None,
        organisation=organisation,
        user_id=user_id,
        source="roster",
    )


def test_delegations_in_name_order_rapporteur_first_observers_apart():
    text = roster_text(
        "Electronic evidence",
        [
            listed("Zed Delegate", "TH", user_id="UZ"),
            listed("Amy Rapporteur", "TH", Role.RAPPORTEUR, user_id="UA"),
            listed("Kim Min-jun", "KR", user_id=None),
            listed("Jane Doe", "UNODC", Role.OBSERVER, user_id="UJ", organisation="UNODC"),
            listed("Paul Roe", "European Union", Role.OBSERVER, user_id=None, organisation="EEAS"),
        ],
    )
    assert text.splitlines() == [
        ":busts_in_silhouette: *Participant list — Electronic evidence*: 5 people "
        "(2 delegations, 2 observers), 2 not joined yet.",
        "*Not joined yet* (no Slack account matched by email; each is matched when their email "
        "is found in Slack or they first use the app): Kim Min-jun (KR), Paul Roe (European Union)",
        "*Republic of Korea* (`KR`)",
        "• Kim Min-jun — delegate · _not joined yet_",
        "*Thailand* (`TH`)",
        "• Amy Rapporteur — rapporteur · <@UA>",
        "• Zed Delegate — delegate · <@UZ>",
        "*Observers* (never counted in a tally)",
        "• Paul Roe (EEAS) — European Union · _not joined yet_",
        "• Jane Doe — UNODC · <@UJ>",
    ]


def test_names_are_escaped():
    text = roster_text("<!channel>", [listed("<!here> & <@U0>", "VN", organisation="*bold*")])
    assert "<!channel>" not in text and "<!here>" not in text and "<@U0>" not in text
    assert "&lt;!here&gt; &amp; &lt;@U0&gt;" in text


def test_a_long_list_is_cut_after_a_whole_line_and_counts_the_rest():
    people = [listed(f"Delegate {n:04d} " + "ລາວ" * 20, "LA") for n in range(500)]
    text = roster_text("Victim and witness protection", people)
    assert len(text) <= ROSTER_TEXT_MAX
    lines = text.splitlines()
    shown = sum(line.startswith("• ") for line in lines)
    assert lines[-1] == f"… and {500 - shown} more"
    assert lines[-2].startswith("• Delegate ")  # never a heading left without its people


def test_a_list_that_just_fits_is_not_cut():
    people = [listed(f"Delegate {n:02d}", "VN") for n in range(20)]
    text = roster_text("Asset confiscation", people)
    assert "more" not in text.splitlines()[-1] and text.count("• Delegate") == 20


def test_nobody_listed():
    text = roster_text("Asset confiscation", [])
    assert text.startswith(":busts_in_silhouette: Nobody on the participant list")
