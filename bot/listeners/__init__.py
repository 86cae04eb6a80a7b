"""Slack listeners, one module per feature: module-level callbacks and `register(app, …)`."""
