"""Block Kit and view validation with Slack's documented limits.

Error strings follow Slack's style: ``"<problem> [json-pointer:/blocks/0/text/text]"``.
"""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
MESSAGE_TEXT_MAX = 40000
SECTION_TEXT_MAX = 3000
SECTION_FIELD_MAX = 2000
SECTION_FIELDS_MAX = 10
HEADER_TEXT_MAX = 150
BUTTON_TEXT_MAX = 75
ID_MAX = 255
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
PLACEHOLDER_MAX = 150
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
SELECT_OPTIONS_MAX = 100
CHOICE_OPTIONS_MAX = 10
VIEW_TITLE_MAX = 24
PRIVATE_METADATA_MAX = 3000
MARKDOWN_BLOCK_MAX = 12000

SELECTS = {
    f"{prefix}{kind}_select"
    for prefix in ("", "multi_")
    for kind in ("static", "external", "users", "conversations", "channels")
}
INPUT_ONLY = {
    "plain_text_input",
    "number_input",
    "email_text_input",
    "url_text_input",
    "rich_text_input",
    "file_input",
}
SHARED = {"checkboxes", "radio_buttons", "datepicker", "timepicker", "datetimepicker"}
ALLOWED_ELEMENTS = {
    "section": SELECTS | SHARED | {"button", "overflow", "image"},
    "actions": SELECTS | SHARED | {"button", "overflow"},
    "input": SELECTS | SHARED | INPUT_ONLY,
}
LIGHT_BLOCKS = {"divider", "file", "rich_text", "video", "table", "call"}


class _Checker:
    """Accumulates validation errors while walking a payload."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.block_ids: set[str] = set()

    def error(self, path: str, problem: str) -> None:
        """Record one error at a JSON pointer."""
        self.errors.append(f"{problem} [json-pointer:{path}]")

    def string(self, value: Any, path: str, max_len: int, *, required: bool = False) -> None:
        """Check an optional/required string and its maximum length."""
        if value is None:
            if required:
                self.error(path, "missing required field")
            return
        if not isinstance(value, str):
            self.error(path, "must be a string")
            return
        if required and not value:
            self.error(path, "must be more than 0 characters")
        if len(value) > max_len:
            self.error(path, f"must be less than {max_len + 1} characters")

    def text(
        self,
        obj: Any,
        path: str,
        max_len: int,
        *,
        plain_only: bool = False,
        required: bool = True,
    ) -> None:
        """Check a composition text object (plain_text or mrkdwn)."""
        if obj is None:
            if required:
                self.error(path, "missing required field")
            return
        if not isinstance(obj, dict):
            self.error(path, "must be a text object")
            return
        allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if obj.get("type") not in allowed:
            self.error(f"{path}/type", f"must be one of {', '.join(allowed)}")
        self.string(obj.get("text"), f"{path}/text", max_len, required=True)

    def items(self, value: Any, path: str, max_items: int, *, min_items: int = 1) -> list[Any]:
        """Check that a value is a list of bounded size; return it (or [])."""
        if not isinstance(value, list):
            self.error(path, "must be an array")
            return []
        if len(value) < min_items:
            self.error(path, f"must provide at least {min_items} items")
        if len(value) > max_items:
            self.error(path, f"must be less than {max_items + 1} items")
        return value

    # -- blocks -----------------------------------------------------------

    def blocks(self, blocks: Any, path: str, max_blocks: int) -> None:
        """Check a list of blocks."""
        for i, block in enumerate(self.items(blocks, path, max_blocks, min_items=0)):
            self.block(block, f"{path}/{i}")

    def block(self, block: Any, path: str) -> None:
        """Check one block."""
        if not isinstance(block, dict):
            self.error(path, "must be an object")
            return
        block_id = block.get("block_id")
        self.string(block_id, f"{path}/block_id", ID_MAX)
        if isinstance(block_id, str):
            if block_id in self.block_ids:
                self.error(f"{path}/block_id", f"duplicate block_id {block_id!r}")
            self.block_ids.add(block_id)
        kind = block.get("type")
        check = getattr(self, f"block_{kind}", None) if isinstance(kind, str) else None
        if check is not None:
            check(block, path)
        elif kind not in LIGHT_BLOCKS:
            self.error(f"{path}/type", f"unknown block type {kind!r}")

    def block_section(self, block: dict[str, Any], path: str) -> None:
        """Check a section block."""
        has_fields = "fields" in block
        self.text(block.get("text"), f"{path}/text", SECTION_TEXT_MAX, required=not has_fields)
        if has_fields:
            fields = self.items(block["fields"], f"{path}/fields", SECTION_FIELDS_MAX)
            for i, item in enumerate(fields):
                self.text(item, f"{path}/fields/{i}", SECTION_FIELD_MAX)
        if "accessory" in block:
            self.element(block["accessory"], f"{path}/accessory", "section")

    def block_header(self, block: dict[str, Any], path: str) -> None:
        """Check a header block."""
        self.text(block.get("text"), f"{path}/text", HEADER_TEXT_MAX, plain_only=True)

    def block_divider(self, block: dict[str, Any], path: str) -> None:
        """Check a divider block (nothing to check)."""

    def block_image(self, block: dict[str, Any], path: str) -> None:
        """Check an image block."""
        if "slack_file" not in block:
            self.string(block.get("image_url"), f"{path}/image_url", 3000, required=True)
        self.string(block.get("alt_text"), f"{path}/alt_text", 2000, required=True)
        self.text(block.get("title"), f"{path}/title", 2000, plain_only=True, required=False)

    def block_actions(self, block: dict[str, Any], path: str) -> None:
        """Check an actions block."""
        elements = self.items(block.get("elements"), f"{path}/elements", ACTIONS_ELEMENTS_MAX)
        for i, element in enumerate(elements):
            self.element(element, f"{path}/elements/{i}", "actions")

    def block_context(self, block: dict[str, Any], path: str) -> None:
        """Check a context block."""
        elements = self.items(block.get("elements"), f"{path}/elements", CONTEXT_ELEMENTS_MAX)
        for i, element in enumerate(elements):
            if isinstance(element, dict) and element.get("type") == "image":
                self.block_image(element, f"{path}/elements/{i}")
            else:
                self.text(element, f"{path}/elements/{i}", SECTION_TEXT_MAX)

    def block_input(self, block: dict[str, Any], path: str) -> None:
        """Check an input block."""
        self.text(block.get("label"), f"{path}/label", 2000, plain_only=True)
        self.text(block.get("hint"), f"{path}/hint", 2000, plain_only=True, required=False)
        if "element" not in block:
            self.error(f"{path}/element", "missing required field")
        else:
            self.element(block["element"], f"{path}/element", "input")

    def block_markdown(self, block: dict[str, Any], path: str) -> None:
        """Check a markdown block."""
        self.string(block.get("text"), f"{path}/text", MARKDOWN_BLOCK_MAX, required=True)

    # -- elements ---------------------------------------------------------

    def element(self, element: Any, path: str, container: str) -> None:
        """Check an interactive element inside a section, actions or input block."""
        if not isinstance(element, dict):
            self.error(path, "must be an object")
            return
        kind = element.get("type")
        if kind not in ALLOWED_ELEMENTS[container]:
            self.error(f"{path}/type", f"element type {kind!r} is not allowed in a {container}")
            return
        if kind == "image":
            self.block_image(element, path)
            return
        self.string(element.get("action_id"), f"{path}/action_id", ID_MAX)
        self.text(
            element.get("placeholder"),
            f"{path}/placeholder",
            PLACEHOLDER_MAX,
            plain_only=True,
            required=False,
        )
        if kind == "button":
            self.text(element.get("text"), f"{path}/text", BUTTON_TEXT_MAX, plain_only=True)
            self.string(element.get("value"), f"{path}/value", 2000)
            self.string(element.get("url"), f"{path}/url", 3000)
            if element.get("style") not in (None, "primary", "danger"):
                self.error(f"{path}/style", "must be one of primary, danger")
        elif kind == "overflow":
            self.options(element.get("options"), f"{path}/options", 5, plain_only=True)
        elif kind in ("static_select", "multi_static_select"):
            if "option_groups" in element:
                groups = self.items(element["option_groups"], f"{path}/option_groups", 100)
                for i, group in enumerate(groups):
                    sub = f"{path}/option_groups/{i}"
                    if isinstance(group, dict):
                        self.text(group.get("label"), f"{sub}/label", 75, plain_only=True)
                        self.options(group.get("options"), f"{sub}/options", 100, plain_only=True)
            else:
                self.options(
                    element.get("options"), f"{path}/options", SELECT_OPTIONS_MAX, plain_only=True
                )
        elif kind in ("checkboxes", "radio_buttons"):
            self.options(element.get("options"), f"{path}/options", CHOICE_OPTIONS_MAX)
        elif kind == "plain_text_input":
            for key in ("min_length", "max_length"):
                value = element.get(key)
                if value is not None and (not isinstance(value, int) or not 0 <= value <= 3000):
                    self.error(f"{path}/{key}", "must be an integer between 0 and 3000")

    def options(self, options: Any, path: str, max_items: int, *, plain_only: bool = False) -> None:
        """Check a list of option objects."""
        for i, option in enumerate(self.items(options, path, max_items)):
            sub = f"{path}/{i}"
            if not isinstance(option, dict):
                self.error(sub, "must be an object")
                continue
            self.text(option.get("text"), f"{sub}/text", OPTION_TEXT_MAX, plain_only=plain_only)
            self.string(option.get("value"), f"{sub}/value", OPTION_VALUE_MAX)
            self.text(option.get("description"), f"{sub}/description", 75, required=False)


def validate_blocks(blocks: Any, *, max_blocks: int = MESSAGE_BLOCKS_MAX) -> list[str]:
    """Validate a message's blocks; return Slack-style error strings (empty when valid)."""
    checker = _Checker()
    checker.blocks(blocks, "/blocks", max_blocks)
    return checker.errors


def validate_view(view: Any, *, kind: str) -> tuple[list[str], list[str]]:
    """Validate a modal (kind="modal") or home tab (kind="home"); return (view, block) errors."""
    if not isinstance(view, dict):
        return ["must be an object [json-pointer:/view]"], []
    fields = _Checker()
    if view.get("type") != kind:
        fields.error("/view/type", f"must be {kind!r} for this method")
    if kind == "modal":
        fields.text(view.get("title"), "/view/title", VIEW_TITLE_MAX, plain_only=True)
        for key in ("submit", "close"):
            fields.text(
                view.get(key), f"/view/{key}", VIEW_TITLE_MAX, plain_only=True, required=False
            )
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and view.get("submit") is None:
            fields.error("/view/submit", "submit is required when an input block is present")
    fields.string(view.get("callback_id"), "/view/callback_id", ID_MAX)
    fields.string(view.get("external_id"), "/view/external_id", ID_MAX)
    fields.string(view.get("private_metadata"), "/view/private_metadata", PRIVATE_METADATA_MAX)
    blocks_checker = _Checker()
    if "blocks" not in view:
        fields.error("/view/blocks", "missing required field")
    else:
        blocks_checker.blocks(view["blocks"], "/view/blocks", VIEW_BLOCKS_MAX)
    return fields.errors, blocks_checker.errors
