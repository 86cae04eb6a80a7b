"""Local Slack emulator: Web API + Socket Mode server, control client and signed request sender.

Typical use::

    with Emulator() as emu:
        client = WebClient(base_url=emu.api_url, token="xoxb-test")
        client.chat_postMessage(channel="C1", text="hi")
        assert emu.messages("C1")[0]["text"] == "hi"

Other processes use ``EmulatorClient(url)`` (the ``/_emulator/...`` control API) and
``python -m bot.emulator --port 8765`` runs one in the foreground.
"""

from bot.emulator.control import EmulatorClient, EmulatorError
from bot.emulator.payloads import state_value_select, state_value_text
from bot.emulator.sender import SentResponse, SlackSender, signature_headers
from bot.emulator.server import Emulator

__all__ = [
    "Emulator",
    "EmulatorClient",
    "EmulatorError",
    "SentResponse",
    "SlackSender",
    "signature_headers",
    "state_value_select",
    "state_value_text",
]
