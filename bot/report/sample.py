"""Build an example outcome document from an in-memory record (multi-script, realistic).

``python -m bot.report.sample --out example.docx [--pdf example.pdf] [--png first-page.png]``
reproduces docs/images/outcome-first-page.png (the PNG needs LibreOffice and poppler-utils).
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.records import (
    Delegation,
    DelegationVotes,
    GroupRecord,
    RecommendationRecord,
    WorkshopRecord,
)
from storage.rules import AdoptionRule, Counts

from .document import build_outcome_document
from .libreoffice import first_page_png, to_pdf
from .options import ReportOptions

DELEGATIONS = (
    Delegation("KH", "Cambodia", 4),
    Delegation("LA", "Lao People's Democratic Republic", 3),
    Delegation("PH", "Philippines", 4),
    Delegation("KR", "Republic of Korea", 3),
    Delegation("TH", "Thailand", 5),
    Delegation("VN", "Viet Nam", 4),
)
_NAMES = {d.country_code: d.country_name for d in DELEGATIONS}
_START = datetime(2025, 3, 12, 9, 30, tzinfo=UTC)

# (group key, name, code, open, rapporteur, [(country, title, text, rationale, support, oppose)])
_GROUPS = (
    (
        "e-evidence",
        "Electronic evidence",
        "EE",
        False,
        "Ms. Nguyễn Thị Lan",
        [
            (
                "VN",
                "Tăng cường hợp tác tư pháp về chứng cứ điện tử",
                "Member States should designate a 24/7 point of contact for urgent requests to "
                "preserve electronic evidence and answer such requests within 72 hours.\n"
                "Requests should be accepted in English as the common working language.",
                "Evidence held by service providers abroad is often deleted before a formal "
                "mutual legal assistance request arrives.",
                18,
                2,
            ),
            (
                "KR",
                "전자 증거의 국경 간 보존",
                "각 회원국은 서비스 제공자에 대한 긴급 보존 요청을 위한 표준 양식을 채택해야 한다.",
                None,
                15,
                4,
            ),
            (
                "TH",
                "หลักฐานอิเล็กทรอนิกส์",
                "ประเทศสมาชิกควรจัดทำแนวปฏิบัติร่วมในการรับรองความถูกต้องของหลักฐานอิเล็กทรอนิกส์",
                None,
                8,
                11,
            ),
        ],
    ),
    (
        "financial",
        "Financial investigation",
        "FI",
        False,
        "Mr. Vilay Phommachanh",
        [
            (
                "LA",
                "ການສືບສວນທາງການເງິນ",
                "ປະເທດສະມາຊິກຄວນແລກປ່ຽນຂໍ້ມູນທາງການເງິນຢ່າງວ່ອງໄວ ເພື່ອຕິດຕາມເສັ້ນທາງຂອງເງິນທີ່ໄດ້ມາຈາກອາຊະຍາກຳ.",
                None,
                20,
                1,
            ),
            (
                "PH",
                "Joint financial intelligence task force",
                "Financial intelligence units of the region should form a standing task force that "
                "meets every quarter & shares typologies of cross-border money laundering.",
                "Typologies shared informally today reach investigators months late.",
                16,
                3,
            ),
        ],
    ),
    (
        "confiscation",
        "Asset confiscation",
        "AC",
        False,
        None,
        [
            (
                "KH",
                "ការដកហូតទ្រព្យសម្បត្តិ",
                "រដ្ឋជាសមាជិកគួរពិចារណាអនុម័តយន្តការដកហូតទ្រព្យសម្បត្តិដោយមិនផ្អែកលើការផ្តន្ទាទោស។",
                None,
                14,
                5,
            ),
        ],
    ),
    (
        "victims",
        "Victim protection",
        "VP",
        True,
        "Atty. Maria Santos",
        [
            (
                "PH",
                "Pagprotekta sa mga biktima",
                "Dapat tiyakin ng mga Estadong Miyembro na ang mga biktima ng human trafficking ay may "
                "access sa libreng legal na tulong at interpretasyon sa kanilang sariling wika.",
                None,
                21,
                0,
            ),
        ],
    ),
)


def sample_record() -> WorkshopRecord:
    """A workshop of four groups in six delegations' languages; victim protection still open."""
    groups = []
    minute = 0
    for key, name, code, is_open, rapporteur, recs in _GROUPS:
        records = []
        for seq, (country, title, text, rationale, support, oppose) in enumerate(recs, start=1):
            minute += 17
            by_delegation = _spread(support, oppose, abstain=(seq * 3) % 5)
            records.append(
                RecommendationRecord(
                    number=f"{code}-{seq}",
                    seq=seq,
                    title=title,
                    text=text,
                    rationale=rationale,
                    author_user_id=f"U{minute:05d}",
                    author_name=f"Delegate of {_NAMES[country]}",
                    country_code=country,
                    country_name=_NAMES[country],
                    counts=sum((v.counts for v in by_delegation), start=Counts()),
                    submitted_at=_START + timedelta(minutes=minute),
                    votes_by_delegation=by_delegation,
                )
            )
        groups.append(
            GroupRecord(
                key, name, code, is_open, "UR" if rapporteur else None, rapporteur, tuple(records)
            )
        )
    return WorkshopRecord(
        groups=tuple(groups),
        delegations=DELEGATIONS,
        generated_at=datetime(2025, 3, 14, 16, 45, tzinfo=UTC),
    )


def sample_options() -> ReportOptions:
    """Options of the example: a simple majority with a quorum of ten votes."""
    return ReportOptions(
        title="Regional Workshop on Cross-Border Cooperation against Transnational Organized Crime",
        venue="Bangkok, Thailand",
        dates="12–14 March 2025",
        organizers="UNODC and the ASEAN Secretariat",
        rule=AdoptionRule(quorum=10),
    )


def _spread(support: int, oppose: int, abstain: int) -> tuple[DelegationVotes, ...]:
    """Deal the votes out over the delegations, round-robin, as delegates would cast them."""
    tallies = {d.country_code: [0, 0, 0] for d in DELEGATIONS}
    codes = list(tallies)
    ballots = [0] * support + [1] * oppose + [2] * abstain
    for index, choice in enumerate(ballots):
        tallies[codes[(index * 5) % len(codes)]][choice] += 1
    return tuple(DelegationVotes(c, _NAMES[c], Counts(*t)) for c, t in tallies.items() if any(t))


def main(argv: list[str] | None = None) -> None:
    """Write the example .docx, and optionally its PDF and first-page PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the .docx to write")
    parser.add_argument("--pdf", type=Path, help="also write a PDF (contents updated)")
    parser.add_argument("--png", type=Path, help="also write the first page as a PNG (80 dpi)")
    args = parser.parse_args(argv)
    args.out.write_bytes(build_outcome_document(sample_record(), sample_options()))
    print(f"wrote {args.out}")
    if args.pdf or args.png:
        with tempfile.TemporaryDirectory() as tmp:
            pdf = args.pdf or Path(tmp) / "sample.pdf"
            to_pdf(args.out, pdf, update_indexes=True)
            if args.pdf:
                print(f"wrote {args.pdf}")
            if args.png:
                first_page_png(pdf, args.png, dpi=80)
                print(f"wrote {args.png}")


if __name__ == "__main__":
    main()
