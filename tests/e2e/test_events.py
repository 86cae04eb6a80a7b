"""Events: the App Home tab, published once per delivery even when Slack retries."""

from __future__ import annotations

from tests.e2e.harness import ORGANIZER, Harness, dump


def home_event(user: str) -> dict:
    return {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}


def test_home_shows_role_delegation_and_groups(harness: Harness):
    harness.wg(ORGANIZER, "CEE", "link e-evidence")
    harness.wg(ORGANIZER, "CEE", "rapporteur <@URAP|rita>")
    harness.wg("URAP", "CEE", "country KR")
    response = harness.slack.event(home_event("URAP"), event_id="Ev1")
    assert response.status == 200
    harness.settle()
    view = harness.emulator.home_view("URAP")
    text = dump(view)
    assert "rapporteur" in text and "Republic of Korea" in text and "Electronic evidence" in text
    harness.slack.event(home_event(ORGANIZER), event_id="Ev2")
    harness.settle()
    assert "organizer" in dump(harness.emulator.home_view(ORGANIZER))


def test_retried_event_is_processed_once(harness: Harness):
    for retry in (None, 1, 2):
        response = harness.slack.event(
            home_event("UDEL1"),
            event_id="EvSame",
            retry_num=retry,
            retry_reason="http_timeout" if retry else None,
        )
        assert response.status == 200
    harness.settle()
    assert len(harness.emulator.calls("views.publish")) == 1


def test_user_names_are_escaped_on_home(harness: Harness):
    harness.emulator.add_user("UEVIL", real_name="<!channel>", profile={"real_name": "<!channel>"})
    harness.slack.command("UEVIL", "C1", "/wg", "country PH", user_name="<!here>")
    harness.settle()
    harness.slack.event(home_event("UEVIL"), event_id="Ev3")
    harness.settle()
    sent = dump([c for c in harness.emulator.calls() if c["method"] != "users.info"])
    assert "<!channel>" not in sent and "<!here>" not in sent
    assert "&lt;!channel&gt;" in dump(harness.emulator.home_view("UEVIL"))


def test_home_lists_the_persons_own_groups_first(harness: Harness):
    harness.wg(ORGANIZER, "CEE", "link e-evidence")
    card = harness.recommend("UDEL1", "CEE", "Preserve subscriber data for 180 days")
    harness.vote("UDEL1", card, "support")
    harness.settle()
    harness.slack.event(home_event("UDEL1"), event_id="EvOwn")
    harness.slack.event(home_event("UNEW"), event_id="EvNew")
    harness.settle()
    text = dump(harness.emulator.home_view("UDEL1"))
    own, others = text.split("Other groups")
    assert "Your groups" in own and "Electronic evidence" in own
    assert "you submitted 1" in own and "you voted on 1" in own
    assert "Financial investigation" in others and "Electronic evidence" not in others
    newcomer = dump(harness.emulator.home_view("UNEW"))
    assert "not submitted or voted" in newcomer and "Electronic evidence" in newcomer
