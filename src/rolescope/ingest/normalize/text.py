"""Small text helpers: whitespace, HTML descriptions, and a folded form for content hashes."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_SPACES = re.compile(r"\s+")
_INLINE_SPACES = re.compile(r"[^\S\n]+")
_TAG = re.compile(r"<[^>]*>?")  # fallback tag stripper for markup html.parser rejects
_BLANK_LINES = re.compile(r"\n\s*\n\s*(?:\n\s*)+")
_SPACE_AROUND_NEWLINE = re.compile(r"[^\S\n]*\n[^\S\n]*")
# Any run of non-word characters (punctuation, symbols, whitespace, "_") folds to one space, in one pass.
_NON_WORD_RUNS = re.compile(r"[\W_]+")
# Greenhouse sends descriptions as entity-escaped HTML ("&lt;p&gt;..."): one of these means unescape first.
_ESCAPED_TAG = re.compile(r"&lt;/?[a-zA-Z][a-zA-Z0-9]*(?:\s|&gt;|/)")
_BLOCK_TAGS = frozenset(
    (
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "dd",
        "dt",
    )
)
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "head"))


def collapse_whitespace(s: str | None) -> str:
    """Collapse every run of whitespace (newlines included) into one space and strip the ends.

    Examples
    --------
    >>> collapse_whitespace("  Senior\\n  ML   Engineer ")
    'Senior ML Engineer'
    """
    if not s:
        return ""
    return _SPACES.sub(" ", s).strip()


class _TextExtractor(HTMLParser):
    """Collects text, turning block-level tags into line breaks and list items into bullets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS and tag != "li":  # the next <li> opens its own line
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def html_to_text(s: str | None) -> str:
    """Turn an HTML job description into plain text with paragraph and list breaks kept.

    Entity-escaped HTML (as Greenhouse's API returns it) is unescaped first; ``script`` and
    ``style`` content is dropped; paragraphs become blank-line separated, list items ``- `` lines.

    Examples
    --------
    >>> html_to_text("&lt;p&gt;We build &amp;amp; ship.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Python&lt;/li&gt;")
    'We build & ship.\\n\\n- Python'
    """
    if not s:
        return ""
    if "<" not in s and _ESCAPED_TAG.search(s):  # fully escaped (Greenhouse); real tags mean real HTML
        s = html.unescape(s)
    parser = _TextExtractor()
    try:
        parser.feed(s)
        parser.close()
        text = "".join(parser.parts)
    except (
        AssertionError
    ):  # html.parser asserts on some malformed declarations ("<![foo"); strip tags instead
        text = _TAG.sub(" ", s)
    text = _INLINE_SPACES.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def fold_for_hash(s: str | None) -> str:
    """Fold text so trivially different copies hash alike: casefold, drop punctuation runs, collapse spaces.

    Examples
    --------
    >>> fold_for_hash("Senior  ML Engineer -- Remote!!")
    'senior ml engineer remote'
    """
    if not s:
        return ""
    return _NON_WORD_RUNS.sub(" ", s.casefold()).strip()
