"""Time and peak memory of one build: ``python -m tests.report.benchmark [--per-group 150]``.

The base size is 4 groups × 150 recommendations × 200 voters (6 delegations). Not a test:
timings depend on the machine, so nothing here asserts them.
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import UTC, datetime, timedelta

from bot.report import build_outcome_document
from bot.report.sample import DELEGATIONS, sample_options
from storage.records import DelegationVotes, GroupRecord, RecommendationRecord, WorkshopRecord
from storage.rules import Counts
from tests.factories.records import GROUPS, SAMPLES

_PARAGRAPH = (
    "Member States should designate a 24/7 point of contact for urgent requests to preserve "
    "electronic evidence and answer such requests within 72 hours.\n"
)


def large_record(per_group: int, voters: int = 200) -> WorkshopRecord:
    """Four groups of `per_group` multi-script recommendations, each voted on by `voters`."""
    samples = list(SAMPLES.values())
    start = datetime(2025, 3, 12, 9, tzinfo=UTC)
    groups = []
    for index, (key, (name, code)) in enumerate(GROUPS.items()):
        recs = []
        for seq in range(1, per_group + 1):
            support = (seq * 37) % voters
            oppose = (seq * 11) % (voters - support)
            counts = Counts(support, oppose, voters - support - oppose)
            delegation = DELEGATIONS[seq % len(DELEGATIONS)]
            text = _PARAGRAPH + " ".join(samples[(seq + k) % len(samples)] for k in range(4))
            recs.append(
                RecommendationRecord(
                    number=f"{code}-{seq}",
                    seq=seq,
                    title=f"{samples[seq % len(samples)]} {seq}",
                    text=text,
                    rationale=samples[(seq + 1) % len(samples)],
                    author_user_id=f"U{seq:05d}",
                    author_name=f"Delegate {seq}",
                    country_code=delegation.country_code,
                    country_name=delegation.country_name,
                    counts=counts,
                    submitted_at=start + timedelta(minutes=seq),
                    votes_by_delegation=_spread(counts),
                )
            )
        groups.append(GroupRecord(key, name, code, index == 3, "U1", "Rapporteur", tuple(recs)))
    return WorkshopRecord(tuple(groups), DELEGATIONS, datetime(2025, 3, 14, tzinfo=UTC))


def _spread(counts: Counts) -> tuple[DelegationVotes, ...]:
    n = len(DELEGATIONS)

    def share(total: int, i: int) -> int:
        return total // n + (1 if i < total % n else 0)

    return tuple(
        DelegationVotes(
            d.country_code,
            d.country_name,
            Counts(share(counts.support, i), share(counts.oppose, i), share(counts.abstain, i)),
        )
        for i, d in enumerate(DELEGATIONS)
    )


def main(argv: list[str] | None = None) -> None:
    """Build once and print seconds, document size and peak resident memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-group", type=int, default=150)
    args = parser.parse_args(argv)
    record = large_record(args.per_group)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    data = build_outcome_document(record, sample_options())
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        f"4 groups x {args.per_group} recommendations x 200 voters: {seconds:.2f} s, "
        f"{len(data) / 1e6:.2f} MB .docx, peak RSS {peak / 1024:.0f} MB "
        f"({before / 1024:.0f} MB before the build)"
    )


if __name__ == "__main__":
    main()
