"""Core properties: set from the record and options, no leftovers from the template."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta, timezone

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from bot.report.wording import default_template_dir
from tests.factories import records as f

from .conftest import TITLE
from .readback import W

APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
DEFAULT = default_template_dir() / "outcome-template.docx"


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


def test_extended_properties_name_rapporteur_without_stale_statistics(compile_report):
    app = compile_report(_record()).part_xml("docProps/app.xml")
    names = [etree.QName(el).localname for el in app]

    assert app.findtext(f"{{{APP}}}Application") == "Rapporteur"
    for stale in ("Template", "Pages", "Words", "Characters", "Lines", "Paragraphs", "AppVersion"):
        assert stale not in names, stale
    assert "TitlesOfParts" not in names and "HeadingPairs" not in names


def test_no_bibliography_proofing_state_or_revision_ids_are_left(compile_report):
    report = compile_report(_record())
    settings = report.part_xml("word/settings.xml")

    assert not [name for name in report.part_names() if name.startswith("customXml/")]
    for tag in ("proofState", "rsids", "savePreviewPicture"):
        assert settings.find(f"{W}{tag}") is None, tag


def test_each_document_gets_a_fresh_id(compile_report):
    def doc_id(report):
        (el,) = report.part_xml("word/settings.xml").iter(f"{{{W14}}}docId")
        return el.get(f"{{{W14}}}val")

    first, second = doc_id(compile_report(_record())), doc_id(compile_report(_record()))

    assert first != second
    assert re.fullmatch("[0-9A-F]{8}", first) and int(first, 16) < 0x80000000
    with zipfile.ZipFile(DEFAULT) as package:
        assert first not in package.read("word/settings.xml").decode()


def test_an_organizers_custom_xml_and_company_are_kept(compile_report, tmp_path):
    template = docx.Document()  # python-docx's default: an empty bibliography, Normal.dotm
    data = b'<contract xmlns="urn:example:ministry"><ref>MOJ-2025-17</ref></contract>'
    part = Part(PackURI("/customXml/item2.xml"), "application/xml", data, template.part.package)
    template.part.relate_to(part, RT.CUSTOM_XML)
    raw = tmp_path / "raw.docx"
    template.save(str(raw))
    path = tmp_path / "organizer.docx"
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "docProps/app.xml":
                content = content.replace(b"<Company/>", b"<Company>Ministry of Justice</Company>")
            dst.writestr(item, content)

    report = compile_report(_record(), template=path)
    with zipfile.ZipFile(io.BytesIO(report.data)) as package:
        custom = [package.read(n) for n in package.namelist() if n.startswith("customXml/item")]
    app = report.part_xml("docProps/app.xml")

    assert custom == [data]  # the organizer's part; the empty bibliography is gone
    assert app.findtext(f"{{{APP}}}Company") == "Ministry of Justice"
    assert app.findtext(f"{{{APP}}}Template") is None
