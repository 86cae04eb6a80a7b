"""Core properties: set from the record and options, no leftovers from the template."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from . import factories as f
from .conftest import TITLE


def _record(**kwargs):
    return f.workshop(f.group("e-evidence", f.recommendation("EE", 1)), **kwargs)


def test_core_properties_are_all_set(compile_report):
    props = compile_report(_record()).doc.core_properties

    assert props.title == TITLE
    assert props.subject == "Outcome document"
    assert props.author == "UNODC and the ASEAN Secretariat"
    assert props.last_modified_by == "UNODC and the ASEAN Secretariat"
    assert props.created == f.GENERATED_AT
    assert props.modified == f.GENERATED_AT
    assert props.content_status == "Final"
    assert "Electronic evidence" in props.keywords
    assert props.revision == 1


def test_nothing_is_left_over_from_the_template(compile_report):
    report = compile_report(_record())
    props = report.doc.core_properties

    for name in ("category", "comments", "identifier", "language", "version"):
        assert getattr(props, name) == "", name
    assert props.last_printed is None
    assert "python-docx" not in report.part_xml("docProps/core.xml").xpath("string()")
    assert not [name for name in report.part_names() if "thumbnail" in name]


def test_author_can_differ_from_the_organizers(compile_report):
    props = compile_report(_record(), author="Secretariat of the Workshop").doc.core_properties

    assert props.author == "Secretariat of the Workshop"


def test_generation_time_is_stored_in_utc(compile_report):
    bangkok = timezone(timedelta(hours=7))
    local = datetime(2025, 3, 15, 0, 30, tzinfo=bangkok)
    record = f.workshop(f.group("e-evidence"))
    record = type(record)(record.groups, record.delegations, local)

    props = compile_report(record).doc.core_properties

    assert props.created == datetime(2025, 3, 14, 17, 30, tzinfo=UTC)


def test_long_titles_fit_the_core_property_limit(compile_report):
    title = "Workshop " * 60
    report = compile_report(_record(), title=title)

    assert report.styled("Title") == [title]
    assert len(report.doc.core_properties.title) == 255
