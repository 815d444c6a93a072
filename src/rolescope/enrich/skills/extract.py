"""Dictionary skill extraction: taxonomy surface forms found in job-ad text, with offsets.

One pass splits the text into word and symbol tokens (``C++`` is ``c + +``); each token that can
start a surface form is looked up in a dict keyed by lowercased token tuples, longest form first,
so the cost grows with the text and not with the size of the taxonomy. Variants are generated
once when the taxonomy is compiled: plurals ("vector databases"), hyphen / space / joined
spellings ("fine-tuning", "fine tuning", "finetuning"), acronym plurals ("LLMs").

Ambiguous forms need evidence. A single capital letter ("R", "C") or a capitalised English word
("Go", "Spark", "Rust", "Ray") counts only next to another technical skill or a programming cue
word in the same sentence ("programming", "language", "services" ...), never in "R&D", "Q&A",
"(R)", "C-level" or "Series C", and never as a sentence-opening verb ("Go to our site").

Examples
--------
>>> from rolescope.knowledge.skills import load_taxonomy
>>> extractor = SkillExtractor(load_taxonomy())
>>> [m.skill_id for m in extractor.extract("Experience with R and Python")]
['r', 'python']
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, compress, count
from typing import Any

from rolescope.enrich.skills.sections import (
    CUE_FIRST_WORDS,
    CueIndex,
    Requirement,
    SectionIndex,
    SectionKind,
    clause_requirement,
    requirement_for,
)
from rolescope.errors import InvalidInput
from rolescope.knowledge.skills import COMMON_WORDS, Taxonomy, load_taxonomy

EXTRACTOR_NAME = "skills.extract.v1"
MENTION_COLUMNS = ("posting_id", "skill_id", "start", "end", "surface", "section", "requirement", "negated")

# ASCII word tokens are a third faster to split than Unicode \w ones; a match that touches a
# non-ASCII letter ("Rüstung") is rejected afterwards, so word boundaries hold all the same.
_SPLIT = re.compile(r"([a-z0-9_]+|[^a-z0-9_\s])")
_TOKENS = re.compile(r"[A-Za-z0-9_]+|[^A-Za-z0-9_\s]")
_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+")
_AMPERSAND_AFTER = re.compile(r"\s*&\s*[A-Z]")
_AMPERSAND_BEFORE = re.compile(r"[A-Z]\s*&\s*$")
_ACRONYM_PLURAL = re.compile(r"[A-Z][A-Z0-9]+s")

# Capitalised forms that are also everyday English words: they need programming context even
# when the taxonomy spells them with exact case.
AMBIGUOUS_WORDS = (
    frozenset(
        """go spark rust ray swift julia dart ruby rails spring express react next flask beam storm hive
    pig chef puppet salt elixir crystal mercury excel access word dash prefect pulsar delta iceberg
    arrow vault consul nomad jest mocha cypress ember backbone meteor solid remix phoenix pascal ada
    logo basic shell assembly gemini claude llama mistral falcon copilot cursor snowflake looker
    keeper bazel maven gradle polars""".split()  # noqa: SIM905 (a word list reads better as text)
    )
    | COMMON_WORDS
)
# Words near an ambiguous form that show it is a technology.
_CONTEXT_CUES = frozenset(
    """programming programmer programmers language languages code coding codebase codebases
    developer developers development engineer engineers engineering scripting script scripts stack
    stacks library libraries framework frameworks backend frontend services microservices compiled
    compiler apache distributed cluster clusters computing pipelines pipeline sdk api apis software
    golang written writing proficiency proficient fluency fluent rstats tidyverse shiny cran
    goroutines concurrency systems jobs streaming big""".split()  # noqa: SIM905
)
# After a sentence-opening "Go" / "Spark" these words show an English verb, not the technology.
_VERB_FOLLOWERS = frozenset(
    """to beyond ahead further above back out through the for live get big far deep home over into
    on up down with from see check your our their a an new change joy innovation ideas interest
    curiosity conversations growth creativity""".split()  # noqa: SIM905
)
# A single letter after these words is a label ("Series C", "Plan B", "Type R"), not a language.
_LETTER_LABELS = frozenset(
    """series type vitamin plan grade level class tier section part appendix option round category
    group phase step model form schedule exhibit track zone area band""".split()  # noqa: SIM905
)
_NON_TECH_CATEGORIES = frozenset({"soft_skill", "domain", "responsible_ai"})
_NEGATORS = frozenset({"no", "not", "without", "never", "nor"})
_NEGATION_TOKENS = _NEGATORS | {"t"}  # "don't" is don ' t
_NEGATION_BREAKS = frozenset({".", "!", "?", ";", ":", ",", "(", ")", "but", "however", "although", "though"})
_NOT_NEGATING_AFTER = frozenset({"only", "just", "limited", "merely", "necessarily"})
_REQUIRED_WORDS = frozenset({"required", "necessary", "needed", "mandatory", "essential", "expected"})
_SENTENCE_ENDS = frozenset({".", "!", "?"})
_CLAUSE_PUNCTUATION = frozenset({".", "!", "?", ";"})
_SPECIAL_TOKENS = _CLAUSE_PUNCTUATION | _NEGATION_TOKENS | CUE_FIRST_WORDS
_SKILL_LIST_SECTIONS = frozenset({"requirements", "nice_to_have"})
_CONTEXT_WINDOW = 8
_NEGATION_WINDOW = 5


@dataclass(frozen=True, slots=True)
class SkillMention:
    """One skill found in a text; ``text[start:end] == surface``."""

    skill_id: str
    start: int
    end: int
    surface: str
    section: SectionKind = "other"
    requirement: Requirement | None = None
    negated: bool = False


@dataclass(frozen=True, slots=True)
class _Form:
    """One compiled surface form (or generated variant) of a skill."""

    skill_id: str
    case_tokens: tuple[str, ...] | None  # exact-case tokens the text must show, None = any case
    contextual: bool  # needs programming context (R, Go, Spark ...)
    compact: bool  # written without spaces around its symbols (C++, .NET): the text must be too
    leading_symbol: bool  # starts with a symbol (.NET): must not follow a word character
    is_letter: bool  # a single letter (R, C): extra checks against R&D, (R), C-level


class SkillExtractor:
    """Find taxonomy skills in text; a callable over Arrow / pandas / dict batches.

    Parameters
    ----------
    taxonomy : Taxonomy, optional
        Defaults to the shipped taxonomy. It is compiled once, in ``__init__``, so one instance
        serves many batches (``ray.data.Dataset.map_batches(SkillExtractor, ...)``).

    Examples
    --------
    >>> extractor = SkillExtractor()
    >>> extractor({"posting_id": ["p1"], "description": ["Python required"]})["requirement"]
    ['required']
    """

    name = EXTRACTOR_NAME

    def __init__(self, taxonomy: Taxonomy | None = None) -> None:
        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        self.taxonomy_version = self.taxonomy.version
        self._index = _compile(self.taxonomy)
        self._trie = _build_trie(self._index)
        self._technical = frozenset(
            s.id for s in self.taxonomy.skills if s.category not in _NON_TECH_CATEGORIES
        )

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        """Mention rows for a batch with ``posting_id`` and ``description`` columns."""
        ids, texts = _batch_columns(batch)
        rows: dict[str, list[Any]] = {column: [] for column in MENTION_COLUMNS}
        for posting_id, text in zip(ids, texts, strict=True):
            for m in self.extract(text):
                rows["posting_id"].append(posting_id)
                rows["skill_id"].append(m.skill_id)
                rows["start"].append(m.start)
                rows["end"].append(m.end)
                rows["surface"].append(m.surface)
                rows["section"].append(m.section)
                rows["requirement"].append(m.requirement)
                rows["negated"].append(m.negated)
        return rows

    def extract(self, text: str | None) -> list[SkillMention]:
        """Every skill mention in the text, left to right, none overlapping."""
        if not text:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters ("İ") grow when lowercased
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        parts = _SPLIT.split(lowered)
        tokens = parts[1::2]
        starts = list(compress(count(), map(self._trie.__contains__, tokens)))
        if not starts:
            return []
        doc = _Doc(text, parts, tokens, list(accumulate(map(len, parts))))
        found = self._match(doc, starts)
        if not found:
            return []
        sections = SectionIndex.of(text)
        found = self._drop_unsupported(doc, found, sections)
        return self._mentions(doc, found, sections)

    # -----------------------------------------------------------------------------------------

    def _match(self, doc: _Doc, starts: list[int]) -> list[tuple[int, int, _Form]]:
        """Leftmost-longest matches as (first token, token count, form), walking the token trie."""
        trie, tokens = self._trie, doc.tokens
        size = len(tokens)
        found: list[tuple[int, int, _Form]] = []
        free = 0
        for i in starts:
            if i < free:
                continue
            forms, children = trie[tokens[i]]
            if children is None:  # the common case: a one-token form and nothing longer
                if forms and (form := _pick(forms, doc, i, 1)):
                    found.append((i, 1, form))
                    free = i + 1
                continue
            ends = [(1, forms)] if forms else []
            j = i + 1
            while children and j < size:
                node = children.get(tokens[j])
                if node is None:
                    break
                j += 1
                forms, children = node
                if forms:
                    ends.append((j - i, forms))
            for n, forms in reversed(ends):
                form = _pick(forms, doc, i, n)
                if form:
                    found.append((i, n, form))
                    free = i + n
                    break
        return found

    def _drop_unsupported(
        self, doc: _Doc, found: list[tuple[int, int, _Form]], sections: SectionIndex
    ) -> list[tuple[int, int, _Form]]:
        """Drop ambiguous forms without programming context, and matches inside URLs."""
        if any(form.contextual for _, _, form in found):
            anchors = [i for i, _, form in found if not form.contextual and form.skill_id in self._technical]
            found = [
                m for m in found if not m[2].contextual or _has_context(doc, m[0], m[2], anchors, sections)
            ]
        urls = _url_spans(doc.text)
        if urls:
            url_starts = [s for s, _ in urls]
            found = [m for m in found if not _inside(doc.start(m[0]), urls, url_starts)]
        return found

    def _mentions(
        self, doc: _Doc, found: list[tuple[int, int, _Form]], sections: SectionIndex
    ) -> list[SkillMention]:
        mentions = []
        tokens = doc.tokens
        special = list(compress(count(), map(_SPECIAL_TOKENS.__contains__, tokens)))  # one pass
        cue_index = CueIndex(tokens, doc.offsets[::2], special)
        breaks = _clause_breaks(doc, special)
        negators = [k for k in special if tokens[k] in _NEGATION_TOKENS]
        cues: dict[tuple[int, int, str], str | None] = {}  # mentions share sentences
        text, offsets, last_break = doc.text, doc.offsets, len(breaks)
        for i, n, form in found:  # the per-mention loop is hot: bisects inlined
            start, end = offsets[2 * i], offsets[2 * (i + n) - 1]
            section = sections.kind_at(start)
            negated = _near(negators, i - _NEGATION_WINDOW, i + n + 3) and _is_negated(doc, i, n)
            requirement = None
            if not negated:
                before, after = bisect_left(breaks, start) - 1, bisect_left(breaks, end)
                left = breaks[before] + 1 if before >= 0 else 0
                right = breaks[after] if after < last_break else len(text)
                key = (left, right, section)
                if key not in cues:
                    cues[key] = clause_requirement(cue_index.kinds(left, right), section)
                requirement = cues[key]
                if requirement == "both":  # "Python required, Go preferred": ask per mention
                    requirement = requirement_for(text, start, end, section, cue_index, breaks)
            mentions.append(
                SkillMention(form.skill_id, start, end, text[start:end], section, requirement, negated)
            )
        return mentions


class _Doc:
    """A text split into tokens: token k is ``parts[2k+1]``, the whitespace before it ``parts[2k]``."""

    __slots__ = ("offsets", "parts", "text", "tokens")

    def __init__(self, text: str, parts: list[str], tokens: list[str], offsets: list[int]) -> None:
        self.text, self.parts, self.tokens, self.offsets = text, parts, tokens, offsets

    def start(self, k: int) -> int:
        return self.offsets[2 * k]

    def end(self, k: int) -> int:
        return self.offsets[2 * k + 1]

    def original(self, k: int) -> str:
        return self.text[self.offsets[2 * k] : self.offsets[2 * k + 1]]

    def space_before(self, k: int) -> str:
        return self.parts[2 * k]

    def sentence_break_before(self, k: int) -> bool:
        """True where token k opens a sentence, a line or a list item."""
        if k == 0 or "\n" in self.parts[2 * k]:
            return True
        previous = self.tokens[k - 1]
        return previous in _SENTENCE_ENDS or previous in {":", "-", "*", "•", ">", "#", "(", '"', "“"}


# ---------------------------------------------------------------------------------------------
# matching checks


def _pick(forms: tuple[_Form, ...], doc: _Doc, i: int, n: int) -> _Form | None:
    """The first form whose case and spacing conditions the text meets."""
    text, start, end = doc.text, doc.start(i), doc.end(i + n - 1)
    if (start > 0 and text[start - 1].isalnum() and not text[start - 1].isascii()) or (
        end < len(text) and text[end].isalnum() and not text[end].isascii()
    ):
        return None  # part of a word with non-ASCII letters: "Rüstung", "Café"
    for form in forms:
        if form.case_tokens is not None and form.case_tokens != tuple(
            doc.original(k) for k in range(i, i + n)
        ):
            continue
        if form.compact and any(doc.space_before(k) for k in range(i + 1, i + n)):
            continue
        if form.leading_symbol and start > 0 and text[start - 1].isalnum():
            continue
        if form.is_letter and not _letter_is_standalone(doc, i):
            continue
        return form
    return None


def _letter_is_standalone(doc: _Doc, i: int) -> bool:
    """A lone capital letter, not part of "R&D", "Q&A", "(R)", "C-level", "C.V." or "Series C"."""
    text, start, end = doc.text, doc.start(i), doc.end(i)
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before in "&'’" or after in "&'’#[{":
        return False
    if _AMPERSAND_AFTER.match(text, end, end + 6) or _AMPERSAND_BEFORE.search(text, max(0, start - 6), start):
        return False  # "R & D", "R &D", "Q & A"
    if before == "(" and after == ")":
        return False
    if after == "-" and text[end + 1 : end + 2].isalpha():
        return False
    if after == "." and text[end + 1 : end + 2].isalnum():
        return False
    if before == "." and start >= 2 and text[start - 2].isalpha():
        return False
    return not (i > 0 and doc.tokens[i - 1] in _LETTER_LABELS)


def _has_context(doc: _Doc, i: int, form: _Form, anchors: list[int], sections: SectionIndex) -> bool:
    """Programming context for an ambiguous form: a technical skill or a cue word nearby, or a
    requirements / nice-to-have list (where a bare "Rust" bullet names the language)."""
    if not form.is_letter and doc.sentence_break_before(i):
        following = doc.tokens[i + 1] if i + 1 < len(doc.tokens) else ""
        if following in _VERB_FOLLOWERS and doc.original(i + 1).islower():
            return False  # "Go to our careers page", "Spark your curiosity"
    if sections.kind_at(doc.start(i)) in _SKILL_LIST_SECTIONS:
        return True
    low, high = _sentence_window(doc, i)
    if any(low <= a <= high and a != i for a in anchors):
        return True
    return any(doc.tokens[k] in _CONTEXT_CUES for k in range(low, high + 1) if k != i)


def _sentence_window(doc: _Doc, i: int) -> tuple[int, int]:
    """Token range around i within _CONTEXT_WINDOW tokens, not crossing a sentence or paragraph."""
    tokens, count = doc.tokens, len(doc.tokens)
    low = i
    while low > 0 and i - low < _CONTEXT_WINDOW and "\n\n" not in doc.space_before(low):
        if tokens[low - 1] in _SENTENCE_ENDS and doc.space_before(low):
            break
        low -= 1
    high = i
    while high + 1 < count and high - i < _CONTEXT_WINDOW and "\n\n" not in doc.space_before(high + 1):
        if tokens[high + 1] in _SENTENCE_ENDS and (high + 2 >= count or doc.space_before(high + 2)):
            break
        high += 1
    return low, high


def _is_negated(doc: _Doc, i: int, n: int) -> bool:
    """Negated by a cue nearby in the clause: no X required, without X, not X, X is not required."""
    tokens = doc.tokens
    for k in range(i - 1, max(-1, i - 1 - _NEGATION_WINDOW), -1):
        token = tokens[k]
        if token in _NEGATION_BREAKS:
            break
        if _negates(doc, k):
            return True
    after = tokens[i + n : i + n + 6]
    if any(t in _REQUIRED_WORDS for t in after):
        for k in range(i + n, min(len(tokens), i + n + 3)):
            if tokens[k] in _NEGATION_BREAKS:
                break
            if tokens[k] in {"not", "t"} and _negates(doc, k):
                return True
    return False


def _negates(doc: _Doc, k: int) -> bool:
    token = doc.tokens[k]
    following = doc.tokens[k + 1] if k + 1 < len(doc.tokens) else ""
    if token == "t":  # "don't", "isn't": the tokens are don ' t
        return k >= 2 and doc.tokens[k - 1] in {"'", "’"} and doc.tokens[k - 2].endswith("n")
    if token not in _NEGATORS or following in _NOT_NEGATING_AFTER:
        return False
    return not (token == "no" and following == "-")  # "no-code" is a thing, not a negation


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of URLs and e-mail addresses (a skill inside "rails-4.0" in a URL is noise)."""
    spans = []
    for prefix in ("http", "www."):
        at = text.find(prefix)
        while at >= 0:
            found = _URL.match(text, at)
            if found:
                spans.append(found.span())
            at = text.find(prefix, found.end() if found else at + 1)
    at = text.find("@")
    while at > 0:
        left = max(text.rfind(c, 0, at) for c in " \n\t(<[")
        right = min((p for p in (text.find(c, at) for c in " \n\t)>]") if p >= 0), default=len(text))
        spans.append((left + 1, right))
        at = text.find("@", right)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):  # a "www." inside an "https://" URL: keep one span
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _clause_breaks(doc: _Doc, special: list[int]) -> list[int]:
    """``sections.clause_breaks`` from the tokens: newlines, and . ! ? ; before whitespace."""
    text, parts, tokens = doc.text, doc.parts, doc.tokens
    breaks = []
    at = text.find("\n")
    while at >= 0:
        breaks.append(at)
        at = text.find("\n", at + 1)
    breaks += [doc.start(k) for k in special if tokens[k] in _CLAUSE_PUNCTUATION and parts[2 * k + 2]]
    breaks.sort()
    return breaks


def _near(positions: list[int], low: int, high: int) -> bool:
    """Any of the sorted token positions in [low, high)."""
    k = bisect_left(positions, low)
    return k < len(positions) and positions[k] < high


def _inside(offset: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    position = bisect_right(starts, offset) - 1
    return position >= 0 and offset < spans[position][1]


# ---------------------------------------------------------------------------------------------
# compiling the taxonomy


def _compile(taxonomy: Taxonomy) -> dict[tuple[str, ...], tuple[_Form, ...]]:
    """Index every surface form and variant by its lowercased token tuple.

    Exact forms come before generated variants, and earlier skills before later ones, so a
    variant never takes a key that a skill spells out.
    """
    exact: dict[tuple[str, ...], list[_Form]] = {}
    variants: dict[tuple[str, ...], list[_Form]] = {}
    for skill in taxonomy.skills:
        sensitive = set(skill.case_sensitive)
        for surface in dict.fromkeys(skill.surface_forms):
            for key, form, is_exact in _expand(skill.id, surface, surface in sensitive):
                bucket = (exact if is_exact else variants).setdefault(key, [])
                if form not in bucket:
                    bucket.append(form)
    index = {key: tuple(forms) for key, forms in variants.items()}
    for key, forms in exact.items():
        index[key] = (*forms, *(f for f in index.get(key, ()) if f not in forms))
    return index


def _build_trie(index: dict[tuple[str, ...], tuple[_Form, ...]]) -> dict[str, list[Any]]:
    """Nested dicts token -> [forms ending here or None, children] for one walk per start token."""
    root: dict[str, list[Any]] = {}
    for key, forms in index.items():
        level, node = root, None
        for token in key:
            node = level.setdefault(token, [None, {}])
            level = node[1]
        node[0] = forms
    _freeze(root)
    return root


def _freeze(level: dict[str, list[Any]]) -> None:
    """Leaves get children None so the walk stops without a lookup."""
    for node in level.values():
        if node[1]:
            _freeze(node[1])
        else:
            node[1] = None


def _expand(
    skill_id: str, surface: str, case_sensitive: bool
) -> Iterable[tuple[tuple[str, ...], _Form, bool]]:
    original = tuple(_TOKENS.findall(surface.strip()))
    if not original:
        return
    key = tuple(t.lower() for t in original)
    is_letter = len(original) == 1 and len(original[0]) == 1 and original[0].isalpha()
    ambiguous = len(key) == 1 and key[0] in AMBIGUOUS_WORDS
    sensitive = case_sensitive or is_letter
    symbols = {t for t in key if not _is_word(t)}
    base = {
        "skill_id": skill_id,
        "contextual": is_letter or ambiguous,
        "compact": bool(symbols & {"+", "#", "."}) and " " not in surface.strip(),
        "leading_symbol": not _is_word(key[0]),
        "is_letter": is_letter,
    }
    if sensitive:
        cased = original if not is_letter else (original[0].upper(),)
        yield key, _Form(case_tokens=cased, **base), True
        if _ACRONYM_PLURAL.fullmatch(surface) is None and len(key[-1]) >= 2 and surface.isupper():
            plural = (*cased[:-1], cased[-1] + "s")
            yield tuple(t.lower() for t in plural), _Form(case_tokens=plural, **base), False
        return
    form = _Form(case_tokens=None, **base)
    yield key, form, True
    for variant in _variants(key, acronym_plural=_ACRONYM_PLURAL.fullmatch(surface) is not None):
        if variant != key:
            yield variant, form, False


def _variants(key: tuple[str, ...], *, acronym_plural: bool) -> set[tuple[str, ...]]:
    """Hyphen / space / joined spellings, then plural and singular of the last word."""
    words = [t for t in key if _is_word(t)]
    symbols = {t for t in key if not _is_word(t)}
    spellings = {key}
    if "-" in symbols:
        spellings.add(tuple(t for t in key if t != "-"))
    elif len(words) > 1 and not symbols:
        spellings.add(tuple(t for w in words for t in ("-", w))[1:])
    if len(words) > 1 and symbols <= {"-", ".", "/"}:
        spellings.add(("".join(words),))
    out = set(spellings)
    for spelling in spellings:
        last = spelling[-1]
        if not (last.isalpha() and len(last) >= 2):
            continue
        plural = _plural(last)
        if plural:
            out.add((*spelling[:-1], plural))
        if len(spelling) > 1 or acronym_plural:
            singular = _singular(last)
            if singular:
                out.add((*spelling[:-1], singular))
    return out


def _plural(word: str) -> str | None:
    if word.endswith("s"):  # already plural ("tests") or a word like "analysis"
        return None
    if word.endswith(("x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _singular(word: str) -> str | None:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return None


def _is_word(token: str) -> bool:
    return token[0].isascii() and (token[0].isalnum() or token[0] == "_")


def _batch_columns(batch: Any) -> tuple[list[Any], list[str | None]]:
    """posting_id and description of an Arrow table, a pandas frame or a dict of sequences."""
    if hasattr(batch, "column_names"):  # pyarrow.Table / RecordBatch
        names = list(batch.column_names)
    elif hasattr(batch, "columns") and not isinstance(batch, dict):  # pandas.DataFrame
        names = list(batch.columns)
    else:
        names = list(batch)
    missing = [c for c in ("posting_id", "description") if c not in names]
    if missing:
        raise InvalidInput(
            f"batch lacks column(s) {', '.join(missing)}; it has: {', '.join(map(str, names)) or 'none'}",
            hint="pass posting_id and description columns",
        )
    return _to_list(batch, "posting_id"), _to_list(batch, "description")


def _to_list(batch: Any, name: str) -> list[Any]:
    column = batch.column(name) if hasattr(batch, "column") and not isinstance(batch, dict) else batch[name]
    if hasattr(column, "to_pylist"):
        return column.to_pylist()
    if hasattr(column, "tolist"):  # numpy arrays (Ray's default batch format), pandas series
        return column.tolist()
    return list(column)
