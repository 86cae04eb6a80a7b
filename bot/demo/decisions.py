"""How the demo's workshop decides: each group's procedure, the observers on the participant
list, and the stances delegations take beyond their votes (an objection, a reservation).

One group decides by delegation, one by consensus, two by vote; the objection and the
reservation are entered in the group deciding by consensus.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Procedure

PROCEDURES: dict[str, Procedure] = {
    "e-evidence": Procedure.DELEGATION,
    "financial-investigation": Procedure.VOTE,
    "asset-confiscation": Procedure.VOTE,
    "victim-protection": Procedure.CONSENSUS,
}


@dataclass(frozen=True)
class Observer:
    """An international partner on the participant list: never counted, never objecting."""

    organisation: str
    user_id: str
    handle: str
    domain: str  # of their email address


# In the order of the participant list: the introduction names them in that order.
OBSERVERS: tuple[Observer, ...] = (
    Observer("UNODC", "U0OBS0001", "anna.lindqvist", "unodc.example.org"),
    Observer("European Union", "U0OBS0002", "pierre.dubois", "eeas.example.org"),
)


@dataclass(frozen=True)
class Stance:
    """A delegation's objection to, or reservation on, the proposal titled `title`."""

    title: str
    country: str
    text: str


OBJECTIONS: tuple[Stance, ...] = (
    Stance(
        "Hotline para sa mga biktima",
        "LA",
        "Lao PDR supports help for victims but cannot join a single regional hotline: each "
        "State already runs a national hotline in its own languages, and a second number would "
        "divide the calls. ສປປ ລາວ ສະເໜີໃຫ້ເຊື່ອມຕໍ່ສາຍດ່ວນແຫ່ງຊາດທີ່ມີຢູ່ແລ້ວ.",
    ),
)

RESERVATIONS: tuple[Stance, ...] = (
    Stance(
        "Non-punishment principle",
        "TH",
        "Thailand joins the consensus on the understanding that the principle is applied case "
        "by case, in accordance with its domestic law. ประเทศไทยเข้าร่วมฉันทามติ "
        "โดยจะใช้หลักการไม่ลงโทษเป็นรายกรณีตามกฎหมายภายในประเทศ",
    ),
)
