"""Slack: the Web API clients, payload parsing, ids, and serving over HTTP and Socket Mode."""
