"""A realistic workshop for the board, written through storage's own operations.

Four groups, one per procedure and state: e-evidence votes one per person and is closed,
financial investigation votes by delegation with a deadline, asset confiscation decides by
consensus (one objection standing), victim protection votes and is open. Texts and titles
use every script of the workshop (Khmer, Lao, Thai, Hangul, Vietnamese, Tagalog), and one
recommendation carries markup that must be shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from storage import deadlines, groups, objections, participants, recommendations, reservations
from storage.actors import Actor
from storage.models import Choice, Procedure
from storage.recommendations import Draft
from storage.votes import cast
from tests.factories import ORGANIZER

DELEGATIONS = ("KH", "LA", "PH", "TH", "KR", "VN")
CHANNELS = {
    "e-evidence": "CEE",
    "financial-investigation": "CFI",
    "asset-confiscation": "CAC",
    "victim-protection": "CVP",
}
ZONE = "Asia/Ho_Chi_Minh"
HOSTILE = "Publish <script>alert('board')</script> & <b>bold</b> nothing"

# (group, title, text): what each recommendation says, in the scripts of the workshop.
TEXTS = {
    "EE-1": (
        "Preserve subscriber and traffic data within 24 hours of a request",
        "Service providers preserve the data of an account linked to a fraud centre within "
        "24 hours of a request from another State's competent authority.",
    ),
    "EE-2": ("Tăng cường hợp tác tư pháp", "Tăng cường hợp tác tư pháp giữa các quốc gia."),
    "EE-3": (
        None,
        "หลักฐานอิเล็กทรอนิกส์ ต้องได้รับการเก็บรักษาข้ามพรมแดน ภายใน 24 ชั่วโมง "
        "หลังได้รับคำขอจากหน่วยงานที่มีอำนาจ ของอีกรัฐหนึ่ง",
    ),
    "FI-1": ("ການສືບສວນທາງການເງິນ", "ການສືບສວນທາງການເງິນ ຂອງ ສູນ ສໍ້ໂກງ."),
    "FI-2": (None, HOSTILE),
    "AC-1": ("ការដកហូតទ្រព្យសម្បត្តិ", "ការដកហូតទ្រព្យសម្បត្តិ ពីការឆបោកតាមអ៊ីនធឺណិត។"),
    "AC-2": (
        "Return confiscated assets to the victims, wherever they live",
        "Confiscated proceeds are returned to the victims of the fraud, across borders.",
    ),
    "VP-1": ("전자 증거의 국경 간 보존", "피해자 보호: 전자 증거의 국경 간 보존."),
    "VP-2": (
        "Proteksyon ng mga biktima",
        "Proteksyon ng mga biktima ng human trafficking sa mga scam center.",
    ),
}


@dataclass
class Plenary:
    """What was built: recommendation ids by number, and who sits for which delegation."""

    ids: dict[str, int] = field(default_factory=dict)
    delegates: dict[str, list[Actor]] = field(default_factory=dict)


def build(
    session: Session,
    *,
    now: datetime | None = None,
    texts: dict[str, tuple[str | None, str]] | None = None,
) -> Plenary:
    """Write the workshop (the caller commits); `texts` replaces some of TEXTS."""
    texts = {**TEXTS, **(texts or {})}
    now = now or datetime.now(UTC)
    plenary = Plenary()
    for code in DELEGATIONS:
        plenary.delegates[code] = []
        for index in range(3):
            actor = Actor(f"U{code}{index}", name=f"Delegate {index} of {code}")
            participants.seat(
                session,
                actor=ORGANIZER,
                user_id=actor.user_id,
                user_name=actor.name,
                delegation=code,
                observer=False,
            )
            plenary.delegates[code].append(actor)
    for key, channel in CHANNELS.items():
        groups.link_channel(session, actor=ORGANIZER, channel_id=channel, group_key=key)
    _procedure(session, "financial-investigation", Procedure.DELEGATION)
    _procedure(session, "asset-confiscation", Procedure.CONSENSUS)
    keys = {"EE": "e-evidence", "FI": "financial-investigation", "AC": "asset-confiscation"}
    keys["VP"] = "victim-protection"
    for number, (title, text) in texts.items():
        author = plenary.delegates[DELEGATIONS[len(plenary.ids) % len(DELEGATIONS)]][0]
        draft = Draft(group_key=keys[number[:2]], text=text, title=title)
        rec, _ = recommendations.submit(
            session, actor=author, draft=draft, submission_key=f"plenary-{number}"
        )
        plenary.ids[number] = rec.id
    votes = {
        "EE-1": "SSSSSSSSSSSOOA",
        "EE-2": "SSSSSSSSOOOOOA",
        "EE-3": "SSSOOOOOOOOOAA",
        "FI-1": "SSSSOA",  # one ballot per delegation, in DELEGATIONS order
        "FI-2": "OOOOSA",
        "VP-1": "SSSSSSSOA",
        "VP-2": "SSSOOOOOA",
    }
    for number, choices in votes.items():
        by_delegation = number.startswith("FI")
        for index, letter in enumerate(choices):
            code = DELEGATIONS[index % len(DELEGATIONS)]
            voter = plenary.delegates[code][0 if by_delegation else index // len(DELEGATIONS)]
            choice = {"S": Choice.SUPPORT, "O": Choice.OPPOSE, "A": Choice.ABSTAIN}[letter]
            cast(session, actor=voter, recommendation_id=plenary.ids[number], choice=choice)
    objections.object_to(
        session,
        actor=plenary.delegates["KR"][1],
        recommendation_id=plenary.ids["AC-1"],
        reason="The text goes beyond our domestic law on confiscation.",
    )
    for number, code in (("EE-1", "TH"), ("EE-1", "LA"), ("AC-2", "PH")):
        reservations.enter(
            session,
            actor=plenary.delegates[code][2],
            recommendation_id=plenary.ids[number],
            delegation=code,
            text="Our delegation will apply this within its constitutional framework.",
        )
    deadlines.set_deadline(
        session,
        actor=ORGANIZER,
        channel_id=CHANNELS["financial-investigation"],
        text="in 2 hours",
        now=now,
        zone=ZONE,
        remind_before=timedelta(0),
    )
    groups.set_open(session, actor=ORGANIZER, channel_id=CHANNELS["e-evidence"], is_open=False)
    session.flush()
    return plenary


def _procedure(session: Session, key: str, procedure: Procedure) -> None:
    groups.set_procedure(session, actor=ORGANIZER, channel_id=CHANNELS[key], procedure=procedure)
