"""`rapporteur demo`: a whole workshop played against the real app and a local Slack emulator."""
