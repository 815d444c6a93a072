"""Job-ad sections (markdown, HTML-derived, plain) and required / preferred cues."""

from __future__ import annotations

from itertools import pairwise

import pytest

from rolescope.enrich.skills.sections import SectionIndex, classify_heading, requirement_for, split_sections


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Requirements", "requirements"),
        ("Requirements:", "requirements"),
        ("## Qualifications", "requirements"),
        ("**Minimum Qualifications:**", "requirements"),
        ("QUALIFICATIONS", "requirements"),
        ("What we're looking for", "requirements"),
        ("What we’re looking for:", "requirements"),
        ("Who are we looking for?", "requirements"),
        ("Must have", "requirements"),
        ("Must-haves:", "requirements"),
        ("Skills & Experience", "requirements"),
        ("Must have: Python, SQL", "requirements"),
        ("### What we look for", "requirements"),
        ("You should apply if:", "requirements"),
        ("In this role, you'll:", "responsibilities"),
        ("Responsibilities", "responsibilities"),
        ("**Key Responsibilities:**", "responsibilities"),
        ("What you'll do", "responsibilities"),
        ("What You Will Do:", "responsibilities"),
        ("<h3>Your role</h3>", "responsibilities"),
        ("Nice to have", "nice_to_have"),
        ("Nice-to-haves:", "nice_to_have"),
        ("Bonus points", "nice_to_have"),
        ("Bonus points if you have:", "nice_to_have"),
        ("Preferred Qualifications", "nice_to_have"),
        ("Pluses:", "nice_to_have"),
        ("Nice to have: Kubernetes", "nice_to_have"),
        ("Benefits", "other"),
        ("## About us", "other"),
        ("**What are we offering?**", "other"),
        ("Tech stack:", "other"),
        ("HOW TO APPLY", "other"),
    ],
)
def test_headings(line: str, kind: str) -> None:
    found = classify_heading(line)
    assert found is not None and found[0] == kind


@pytest.mark.parametrize(
    "line",
    [
        "Experience with R and Python",
        "Experience in Python",
        "- Requirements gathering with stakeholders",
        "* Strong skills in SQL",
        "You will build our data platform with Python and deploy it to production every day.",
        "Salary: $90,000 - $120,000",
        "Location: Remote (US)",
        "We are a small team that loves shipping.",
        "",
    ],
)
def test_not_headings(line: str) -> None:
    assert classify_heading(line) is None


MARKDOWN = """\
**Headquarters:** Zagreb
We make .NET components.

**What you'll do**
  * Write APIs

**Requirements**
  * C# programming

**Nice to have**
  * Azure

**What are we offering?**
  * Remote work
"""

HTML_DERIVED = """\
Acme AI is hiring.
RESPONSIBILITIES
Train models.
QUALIFICATIONS
Python.
PREFERRED QUALIFICATIONS
JAX.
"""

PLAIN = "We are hiring an ML engineer. Build models in PyTorch. Apply at our site."


@pytest.mark.parametrize(
    ("text", "probes"),
    [
        (
            MARKDOWN,
            {
                "Zagreb": "other",
                "Write APIs": "responsibilities",
                "C# programming": "requirements",
                "Azure": "nice_to_have",
                "Remote work": "other",
            },
        ),
        (
            HTML_DERIVED,
            {
                "Acme": "other",
                "Train models": "responsibilities",
                "Python.": "requirements",
                "JAX": "nice_to_have",
            },
        ),
        (PLAIN, {"PyTorch": "other"}),
    ],
)
def test_section_at_offset(text: str, probes: dict[str, str]) -> None:
    index = SectionIndex.of(text)
    assert {probe: index.kind_at(text.index(probe)) for probe in probes} == probes


def test_sections_cover_the_text_in_order() -> None:
    sections = split_sections(MARKDOWN)
    assert sections[0].start == 0 and sections[-1].end == len(MARKDOWN)
    assert all(a.end == b.start for a, b in pairwise(sections))
    assert [s.kind for s in sections] == [
        "other",
        "responsibilities",
        "requirements",
        "nice_to_have",
        "other",
    ]


def test_empty_text_is_one_other_section() -> None:
    assert [(s.kind, s.start, s.end) for s in split_sections("")] == [("other", 0, 0)]


@pytest.mark.parametrize(
    ("text", "word", "section", "expected"),
    [
        ("Python is required.", "Python", "other", "required"),
        ("You must know Python.", "Python", "other", "required"),
        ("Python is a plus.", "Python", "other", "preferred"),
        ("Bonus: Python.", "Python", "other", "preferred"),
        ("Ideally you know Python.", "Python", "other", "preferred"),
        ("Familiarity with Python.", "Python", "other", "preferred"),
        ("Strong experience with Python.", "Python", "other", "required"),
        ("5+ years of Python.", "Python", "other", "required"),
        ("We use Python.", "Python", "other", None),
        ("We use Python.", "Python", "requirements", "required"),
        ("We use Python.", "Python", "nice_to_have", "preferred"),
        ("Strong experience with Python.", "Python", "nice_to_have", "preferred"),
        ("Python (preferred).", "Python", "requirements", "preferred"),
        ("Python required, Go preferred.", "Go", "other", "preferred"),
        ("Python required, Go preferred.", "Python", "other", "required"),
        ("Go is a plus. Python is required.", "Python", "other", "required"),
    ],
)
def test_requirement_cues(text: str, word: str, section: str, expected: str | None) -> None:
    start = text.index(word)
    assert requirement_for(text, start, start + len(word), section) == expected  # type: ignore[arg-type]
