"""Presentation: Block Kit builders and message rendering from templates/messages."""
