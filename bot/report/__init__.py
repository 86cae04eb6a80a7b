"""The Word outcome document, compiled from a plain workshop record (no session, no Slack)."""

from .document import build_outcome_document
from .errors import TemplateError
from .options import FontConfig, ReportOptions

__all__ = ["FontConfig", "ReportOptions", "TemplateError", "build_outcome_document"]
