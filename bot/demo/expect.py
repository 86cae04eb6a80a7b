"""What a card must show at the end of the demo, as the app renders it: the tally by its
group's procedure (people's votes, delegations' ballots, or objections), whether voting is
open, and the delegations holding a reservation."""

from __future__ import annotations

from bot.demo.players import Card, CardCheck
from bot.demo.script import Script
from bot.ui.render import render
from storage.countries import country_name
from storage.models import Procedure


def card_check(script: Script, card: Card, *, is_open: bool) -> CardCheck:
    """The texts the card of `card.submission` must show, open or closed."""
    index = card.submission
    procedure = script.procedure(index)
    if procedure is Procedure.CONSENSUS:
        objecting = [country_name(code) for code in script.objecting(index)]
        tally = render("card/consensus_tally.j2", is_open=is_open, objecting=objecting)
    elif procedure is Procedure.DELEGATION:
        tally = render("card/tally_delegations.j2", counts=script.counts(index))
    else:
        tally = render("card/tally.j2", counts=script.counts(index))
    codes = script.reserving(index)
    return CardCheck(
        card,
        tally=tally,
        status=render("card/status.j2", is_open=is_open, procedure=procedure.value),
        reservations=render("card/reservations.j2", codes=list(codes)) if codes else None,
    )
