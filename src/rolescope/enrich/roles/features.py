"""What the role classifier sees in a posting: words, word pairs, skills and the section they sit in.

The title is hidden: every verbatim occurrence of the posting's own title inside its description is
blanked before tokenizing (job ads often open by repeating it), so the model learns from what the
posting asks for, not from the label it was given. Skill features come from the dictionary
extractor: ``skill:<id>`` for any mention that is not negated, ``req:<id>`` when it sits in a
requirements section or is marked required, ``resp:<id>`` in a responsibilities section, and
``cat:<category>`` per skill category. Role-name cues come last: ``kw:<role>`` counts how often
the description (title blanked) names each role the way titles do ("our ML engineers ...", "as an
AI/ML engineer you ..."), matched with the knowledge base's title patterns on the canonical text.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import TYPE_CHECKING

from rolescope.knowledge.roles import canonical_title, load_roles

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rolescope.enrich.skills.extract import SkillExtractor, SkillMention

_TOKEN = re.compile(r"[a-z][a-z0-9+#]*(?:[.\-][a-z0-9+#]+)*")
# Frequent function words carry no role signal and would crowd the word-pair vocabulary.
# fmt: off
_STOP = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "our", "that", "the", "their", "this", "to", "we", "will", "with",
    "you", "your", "who", "what", "which", "while", "was", "were", "been", "being", "can", "into",
    "about", "us", "all", "any", "more", "also", "other", "such", "than", "then", "there", "these",
    "those", "they", "them", "he", "she", "his", "her", "i", "me", "my", "so", "if", "not", "no"
})
# fmt: on
_LINK = re.compile(r"(?:https?://|www\.)\S+")
_ADDRESS = re.compile(r"(?<!\S)\S*@\S*")  # the whole chunk around an "@"; starts only at a chunk's start
ROLE_CUE_PREFIX = "kw:"
MAX_CUE_LINE = 600
_LINE_BREAK = re.compile(r"[\n.;!?]")
_ROLE_NOUN = re.compile(r"engineer|developer|scientist|programmer|ops\b|operations|specialist|lead\b")
_ROLE_NOUN_ANY_CASE = re.compile(_ROLE_NOUN.pattern, re.IGNORECASE)
# The only characters that (?i) matches to a letter of those nouns while .lower() keeps them as they
# are, at the same length (found by scanning every code point): dotless i and long s.
_FOLDS_TO_ASCII = ("\u0131", "\u017f")
SKILL_PREFIXES = ("skill:", "req:", "resp:", "cat:", ROLE_CUE_PREFIX)


def mask_title(text: str, title: str | None) -> str:
    """``text`` with each case-insensitive occurrence of ``title`` blanked to spaces (same length)."""
    if not title or len(title.strip()) < 3:
        return text
    needle, low = title.strip().lower(), text.lower()
    if len(low) != len(text) or len(needle) != len(title.strip()):  # lowercasing changed lengths
        return re.sub(re.escape(title.strip()), lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    parts, start = [], 0
    while (found := low.find(needle, start)) >= 0:
        parts += [text[start:found], " " * len(needle)]
        start = found + len(needle)
    return "".join(parts) + text[start:] if parts else text


def text_tokens(text: str) -> list[str]:
    """The words of a text, lowercased, stop words and links dropped; neighbouring words pair up.

    Links written with a scheme or "www." and any chunk holding an "@" go first: an
    applicant-tracking link ("https://jobs.ashbyhq.com/...") says which board carried the ad, not
    what the job is, and must not become a role's evidence. A bare host without either
    ("deel.com") still counts as a word.
    """
    low = text.lower()
    if "http" in low or "www." in low:
        low = _LINK.sub(" ", low)
    if "@" in low:
        low = _ADDRESS.sub(" ", low)
    return [t for t in _TOKEN.findall(low) if t not in _STOP and len(t) < 40]


def with_pairs(tokens: list[str]) -> list[str]:
    """The tokens, then each adjacent pair of them as one "a b" term."""
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def text_terms(text: str) -> list[str]:
    """Unigrams and adjacent word pairs of a text, lowercased, stop words dropped."""
    return with_pairs(text_tokens(text))


def skill_terms(
    extractor: SkillExtractor,
    text: str,
    categories: dict[str, str],
    mentions: Iterable[SkillMention] | None = None,
) -> list[str]:
    """Skill features of a text; each skill counts once per feature kind.

    ``mentions``, when given, are the extractor's mentions of this very text found earlier (by
    ``rolescope enrich``'s skills step), used instead of extracting again.
    """
    terms: set[str] = set()
    for mention in extractor.extract(text) if mentions is None else mentions:
        if mention.negated:
            continue
        terms.add(f"skill:{mention.skill_id}")
        terms.add(f"cat:{categories.get(mention.skill_id, 'unknown')}")
        if mention.section == "requirements" or mention.requirement == "required":
            terms.add(f"req:{mention.skill_id}")
        elif mention.section == "responsibilities":
            terms.add(f"resp:{mention.skill_id}")
    return sorted(terms)


def occupation_lines(text: str) -> list[str]:
    """The lines (split at newlines and sentence marks) that name an occupation, in text order.

    One scan for the occupation nouns over the whole text, then each hit's line is cut out around
    it; a line longer than ``MAX_CUE_LINE`` is skipped (a role is named in a sentence, not in a
    10,000-character run-on).
    """
    lines: list[str] = []
    lowered = text.lower()  # a case-sensitive scan of the lowered text is 4x faster than (?i)
    if len(lowered) == len(text) and not any(letter in text for letter in _FOLDS_TO_ASCII):
        nouns = _ROLE_NOUN.finditer(lowered)
    else:  # lowering moved offsets, or a letter that (?i) matches to ASCII stays itself when lowered
        nouns = _ROLE_NOUN_ANY_CASE.finditer(text)
    line_end = 0
    for found in nouns:
        at = found.start()
        if at < line_end:
            continue  # this line is already taken
        # Its start is the last break before it; none lies before the previous line's end, so each
        # stretch of text is searched once (a search back to the start made long texts quadratic).
        start = max(text.rfind(mark, line_end, at) for mark in "\n.;!?") + 1 or line_end
        after = _LINE_BREAK.search(text, at)
        line_end = after.start() if after else len(text)
        if line_end - start <= MAX_CUE_LINE:
            lines.append(text[start:line_end])
    return lines


def canonical_lines(lines: list[str]) -> list[str]:
    """``canonical_title`` of each line, computed in one pass over the lines joined by NUL.

    NUL is neither a word character nor whitespace, so no rewrite can reach across it and each
    line comes back exactly as it would alone; text that holds a NUL itself is done line by line.
    """
    if not lines:
        return []
    joined = "\x00".join(lines)
    if joined.count("\x00") != len(lines) - 1:
        return [canonical_title(line) for line in lines]
    return [line.strip() for line in canonical_title(joined).split("\x00")]


class Featurizer:
    """Text + skill term counts for a posting; build once, call per posting."""

    def __init__(self, extractor: SkillExtractor | None = None) -> None:
        from rolescope.enrich.skills.extract import SkillExtractor
        from rolescope.knowledge.skills import load_taxonomy

        self.extractor = extractor or SkillExtractor(load_taxonomy())
        taxonomy = self.extractor.taxonomy
        self.categories = {skill.id: skill.category for skill in taxonomy.skills}
        self.skill_names = {skill.id: skill.name for skill in taxonomy.skills}
        self.taxonomy_version = taxonomy.version
        self.role_patterns = [
            (role.id, [re.compile(p) for p in role.title_patterns])
            for role in load_roles().roles
            if role.title_patterns
        ]
        # Any role pattern at all: most lines naming an occupation name none of ours, and one
        # search of the union settles that before the per-role counting.
        self._any_role = re.compile("|".join(f"(?:{p.pattern})" for _, ps in self.role_patterns for p in ps))

    def role_cues(self, text: str) -> Counter[str]:
        cues: Counter[str] = Counter()
        # Only lines that name an occupation can hold a role name; the patterns run on each alone,
        # which also keeps their look-aheads from scanning the whole posting.
        for canonical in canonical_lines(occupation_lines(text)):
            if not self._any_role.search(canonical):
                continue
            for role, patterns in self.role_patterns:
                hits = sum(len(p.findall(canonical)) for p in patterns)
                if hits:
                    cues[f"{ROLE_CUE_PREFIX}{role}"] = min(cues[f"{ROLE_CUE_PREFIX}{role}"] + hits, 5)
        return cues

    def __call__(self, text: str | None, title: str | None = None) -> Counter[str]:
        tokens, tagged = self.parts(text, title)
        counts = Counter(with_pairs(tokens))
        counts.update(tagged)
        return counts

    def parts(
        self,
        text: str | None,
        title: str | None = None,
        mentions: Iterable[SkillMention] | None = None,
    ) -> tuple[list[str], Counter[str]]:
        """The text's tokens (its word pairs are left to the caller) and its skill and role-cue terms.

        ``mentions``: the skill mentions of ``text`` already extracted; only valid without a
        ``title`` to blank, since blanking changes the text they were found in.
        """
        if mentions is not None and title:
            raise ValueError("stored mentions belong to the text as stored; it cannot be blanked")
        masked = mask_title(text or "", title)
        tagged = Counter(skill_terms(self.extractor, masked, self.categories, mentions))
        tagged.update(self.role_cues(masked))
        return text_tokens(masked), tagged
