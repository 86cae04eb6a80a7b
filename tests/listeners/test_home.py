"""The App Home tab, through signed events against the emulator."""

from __future__ import annotations

from storage.countries import country_name
from tests.harness import ORGANIZER, Harness, dump, home_opened


def test_home_shows_role_delegation_and_groups(harness: Harness):
    harness.link("CEE", rapporteur="URAP")
    harness.wg("URAP", "CEE", "country KR")
    response = harness.slack.event(home_opened("URAP"), event_id="Ev1")
    assert response.status == 200
    harness.settle()
    view = harness.emulator.home_view("URAP")
    text = dump(view)
    assert "rapporteur" in text and country_name("KR") in text
    assert "Electronic evidence" in text
    harness.slack.event(home_opened(ORGANIZER), event_id="Ev2")
    harness.settle()
    assert "organizer" in dump(harness.emulator.home_view(ORGANIZER))


def test_user_names_are_escaped_on_home(harness: Harness):
    harness.emulator.add_user("UEVIL", real_name="<!channel>", profile={"real_name": "<!channel>"})
    harness.slack.command("UEVIL", "C1", "/wg", "country PH", user_name="<!here>")
    harness.settle()
    harness.slack.event(home_opened("UEVIL"), event_id="Ev3")
    harness.settle()
    sent = dump([c for c in harness.emulator.calls() if c["method"] != "users.info"])
    assert "<!channel>" not in sent and "<!here>" not in sent
    assert "&lt;!channel&gt;" in dump(harness.emulator.home_view("UEVIL"))


def test_home_lists_the_persons_own_groups_first(harness: Harness):
    harness.link("CEE")
    card = harness.recommend("UDEL1", "CEE", "Preserve subscriber data for 180 days")
    harness.vote("UDEL1", card, "support")
    harness.settle()
    harness.slack.event(home_opened("UDEL1"), event_id="EvOwn")
    harness.slack.event(home_opened("UNEW"), event_id="EvNew")
    harness.settle()
    text = dump(harness.emulator.home_view("UDEL1"))
    own, others = text.split("Other groups")
    assert "Your groups" in own and "Electronic evidence" in own
    assert "you submitted 1" in own and "you voted on 1" in own
    assert "Financial investigation" in others and "Electronic evidence" not in others
    newcomer = dump(harness.emulator.home_view("UNEW"))
    assert "not submitted or voted" in newcomer and "Electronic evidence" in newcomer
