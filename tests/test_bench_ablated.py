"""bench.ablated_app: only the named ablations are accepted (the valid ones are exercised by
tests/test_bench_quick.py, in servers of their own, since they patch the app process-wide)."""

from __future__ import annotations

import pytest

from bench.ablated_app import ABLATIONS, ablate, main
from bot.delivery.coalescer import Coalescer
from bot.runtime.ballot_box import BallotBox


def test_an_unknown_ablation_is_refused_and_patches_nothing():
    cast, add = BallotBox.cast, Coalescer.add
    with pytest.raises(SystemExit, match="unknown ablation 'everything'; expected one of"):
        ablate("everything")
    assert (BallotBox.cast, Coalescer.add) == (cast, add)


def test_no_ablation_named_gives_the_usage():
    with pytest.raises(SystemExit, match=r"usage: python -m bench\.ablated_app") as refused:
        main([])
    assert "{" + "|".join(ABLATIONS) + "} serve" in str(refused.value)
