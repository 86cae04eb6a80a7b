"""Report options from the settings."""

from __future__ import annotations

from pathlib import Path

from bot.report.options import FontConfig, ReportOptions
from bot.settings import Settings


def report_options(settings: Settings, template: Path | None = None) -> ReportOptions:
    """The outcome document's options: workshop details, rule, template, fonts, PDF or not."""
    return ReportOptions(
        title=settings.workshop_title,
        venue=settings.workshop_venue,
        dates=settings.workshop_dates,
        organizers=settings.workshop_organizers,
        rule=settings.adoption_rule,
        template=template or settings.report_template,
        fonts=FontConfig(
            latin=settings.report_font_latin,
            khmer=settings.report_font_khmer,
            lao=settings.report_font_lao,
            thai=settings.report_font_thai,
            hangul=settings.report_font_hangul,
            display=settings.report_font_display,
        ),
        pdf=settings.wants_pdf,
        procedure=settings.decision_procedure,
        tallies=settings.tallies.value,
        ballots=settings.ballots.value,
    )
