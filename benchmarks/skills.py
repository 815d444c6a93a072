"""Skill-extraction benchmark: our extractors vs keyword matchers and published peer tools.

For each extractor, in its own process (so peak memory is its own): span P/R/F1 on SkillSpan dev
(strict and partial; skill, knowledge, merged) and on its held-out half (the document-level half
defined in rolescope.enrich.skills.neural.split_dev: the MiniLM tagger stopped early on the other
half, so only the held-out figures are fair for it), postings per second on one core over real
postings from ../shared/data/postings (after a warm-up), and peak RSS. Writes
benchmarks/results/skills.json.

Run: pip install ".[bench]" && python benchmarks/skills.py [--postings 2000]
     # with the MiniLM tagger row and the peer tools (see ../shared/PEERS.md):
     /tmp/neural/bin/python benchmarks/skills.py --neural-model /tmp/neural_tagger/model \
         --peers-python /tmp/peers/bin/python --skillner-db /tmp/peers/skillner_db

rolescope-minilm is scored only when torch and transformers import in the running interpreter and
--neural-model holds a model (scripts/train_neural_tagger.py); it runs torch on one thread and is
timed on --neural-postings postings (it is far slower than the dictionary).

Peers: flashtext (KeywordProcessor) and pyahocorasick (an Aho-Corasick automaton with word-boundary
checks and longest-match overlap resolution), both fed the taxonomy's surface forms (name, aliases,
case-sensitive forms) mapped to skill ids. They match case-insensitively and know no context, so
"Go" and "R" match as English words; that is the point of comparing.

Peer tools (benchmarks/peers/run_peer.py, run by --peers-python, a venv set up as in
../shared/PEERS.md): "SkillNer (rebuilt DB)" (SkillNer 1.0.3 with its skill DB rebuilt offline from
the Lightcast list) and esco-skill-extractor (ESCO URIs from MiniLM similarity of text segments).
Neither emits SkillSpan-style spans: run_peer.py recovers character spans (SkillNer: its matched
words; esco-skill-extractor: the whole text segment that matched a skill), and every peer span is
typed "skill" (neither tells skills from knowledge the SkillSpan way), so only their *merged*
scores mean anything. They are timed on --peer-postings postings (they manage ~0.4 and ~5 per
second). A peer that cannot run gets a row with the exact error.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "skills.json"
EXTRACTORS = (
    "rolescope-dictionary",
    "rolescope-tagger",
    "rolescope-both",
    "rolescope-minilm",
    "flashtext",
    "pyahocorasick",
)
PEERS = {"skillner": "SkillNer (rebuilt DB)", "esco": "esco-skill-extractor"}
PEER_SCRIPT = REPO / "benchmarks" / "peers" / "run_peer.py"
DEV = ("skill_gold", "skillspan", "json", "dev.json")


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


def run_one(name: str, shared: Path, n_postings: int, neural_model: Path | None = None) -> dict:
    from rolescope.enrich.evaluation import chars_to_tokens, evaluate, read_skillspan, token_offsets
    from rolescope.enrich.skills.neural import split_dev
    from rolescope.knowledge.skills import load_taxonomy

    started = time.perf_counter()
    tagger = None
    if name == "rolescope-minilm":
        from rolescope.enrich.skills.neural import NeuralTagger

        tagger = NeuralTagger(neural_model, threads=1)
        tagger.tag(["warm", "up"])  # loads the model
        find = lambda text: [(s.start, s.end, s.span_type) for s in tagger.extract(text)]  # noqa: E731
    else:
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

    dev_path = shared.joinpath(*DEV)
    sentences = read_skillspan(dev_path)
    heldout = split_dev(dev_path).heldout
    if tagger is not None:
        from rolescope.enrich.skills.neural import batch_predictor

        predictor = batch_predictor(tagger, sentences)
    elif name.startswith("rolescope-"):
        from rolescope.enrich.skills.tagger import predictor_for

        predictor = predictor_for(name.removeprefix("rolescope-"))
    else:
        predictor = predict
    scores = evaluate(sentences, predictor)
    heldout_scores = evaluate(heldout, predictor)
    texts = load_postings(shared, n_postings)
    for text in texts[: min(100, max(3, len(texts) // 20))]:
        find(text)  # warm-up
    started = time.perf_counter()
    mentions = sum(len(find(text)) for text in texts)
    seconds = time.perf_counter() - started
    return {
        "extractor": name,
        "build_seconds": round(build_seconds, 2),
        "postings": len(texts),
        "postings_per_second": round(len(texts) / seconds, 1 if len(texts) / seconds >= 10 else 2),
        "mentions": mentions,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "skillspan_dev": [s.as_dict() for s in scores],
        "skillspan_dev_heldout": [s.as_dict() for s in heldout_scores],
    }


def run_peer(peer: str, opts: argparse.Namespace) -> dict:
    """One peer in its own process (the peers venv); its character spans scored here."""
    from rolescope.enrich.evaluation import chars_to_tokens, evaluate, read_skillspan, token_offsets
    from rolescope.enrich.skills.neural import split_dev

    label = PEERS[peer]
    row: dict = {"extractor": label}
    python = opts.peers_python
    if python is None or not Path(python).exists():
        row["error"] = [f"no peers interpreter at {python} (see shared/PEERS.md; pass --peers-python)"]
        return row
    dev_path = opts.shared.joinpath(*DEV)
    sentences = read_skillspan(dev_path)
    heldout = split_dev(dev_path).heldout
    if peer == "skillner" and opts.skillner_sentences == "heldout":
        scored, subset = heldout, "held-out half of dev only (SkillNer is too slow for all of dev here)"
    else:
        scored, subset = sentences, "all of dev"
    texts = [token_offsets(s.tokens)[0] for s in scored]
    job = {"sentences": texts, "postings": load_postings(opts.shared, opts.peer_postings)}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(job, fh)
    command = [str(python), str(PEER_SCRIPT), peer, fh.name, "--skillner-db", str(opts.skillner_db)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        os.unlink(fh.name)
    if proc.returncode != 0:
        row["error"] = proc.stderr.strip().splitlines()[-3:] or [f"exit code {proc.returncode}"]
        return row
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    table: dict[tuple[str, ...], dict[str, set]] = {}
    for sentence, char_spans in zip(scored, out.pop("spans"), strict=True):
        _, offsets = token_offsets(sentence.tokens)
        spans = {chars_to_tokens(a, b, offsets) for a, b in char_spans} - {None}
        table[tuple(sentence.tokens)] = {"skill": spans, "knowledge": set()}

    def predict(tokens: list[str]) -> dict[str, set]:
        return table[tuple(tokens)]

    row.update(out)
    row["dev_subset"] = subset
    row["span_types"] = "all spans typed skill: only the merged rows are meaningful"
    if scored is sentences:
        row["skillspan_dev"] = [s.as_dict() for s in evaluate(sentences, predict)]
    row["skillspan_dev_heldout"] = [s.as_dict() for s in evaluate(heldout, predict)]
    return row


def neural_available(model: Path | None) -> str | None:
    """Why the MiniLM row cannot run in this interpreter, or None when it can."""
    missing = [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        return f"skipped: {', '.join(missing)} not importable in {sys.executable} (pip install '.[neural]')"
    if model is None or not (model / "card.json").is_file():
        return f"skipped: no trained model at {model} (scripts/train_neural_tagger.py)"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--neural-model", type=Path, default=Path("/tmp/neural_tagger/model"))
    parser.add_argument("--neural-postings", type=int, default=200, help="postings timed for the MiniLM")
    parser.add_argument("--peers-python", type=Path, default=None, help="python of the peers venv")
    parser.add_argument("--skillner-db", type=Path, default=Path("/tmp/peers/skillner_db"))
    parser.add_argument("--skillner-sentences", choices=("all", "heldout"), default="heldout")
    parser.add_argument("--peer-postings", type=int, default=50, help="postings timed for each peer")
    parser.add_argument("--only", choices=EXTRACTORS, help=argparse.SUPPRESS)
    parser.add_argument("--only-peers", action="store_true", help="rerun the peers, keep the other rows")
    opts = parser.parse_args()
    if opts.only:
        print(json.dumps(run_one(opts.only, opts.shared, opts.postings, opts.neural_model)))
        return
    from rolescope.knowledge.skills import load_taxonomy

    results = []
    previous = json.loads(RESULTS.read_text()) if opts.only_peers and RESULTS.is_file() else {}
    for name in () if opts.only_peers else EXTRACTORS:
        if name == "rolescope-minilm" and (reason := neural_available(opts.neural_model)):
            results.append({"extractor": name, "skipped": reason})
            continue
        n_postings = min(opts.postings, opts.neural_postings) if name == "rolescope-minilm" else opts.postings
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--only",
                name,
                "--shared",
                str(opts.shared),
                "--postings",
                str(n_postings),
                "--neural-model",
                str(opts.neural_model),
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
    if opts.only_peers:
        results = [r for r in previous.get("results", []) if r["extractor"] not in PEERS.values()]
    for peer in PEERS:
        results.append(run_peer(peer, opts))
    taxonomy = load_taxonomy()
    payload = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "taxonomy": {"version": taxonomy.version, "skills": len(taxonomy.skills)},
        "notes": {
            "SkillSpan dev": "the CRF tagger was tuned on all of dev, so its dev and held-out-half scores "
            "are not held-out figures; rolescope-minilm stopped early on the tune half of dev, so only its "
            "skillspan_dev_heldout rows are held out",
            "held-out half": "SkillSpan dev documents (source, idx); within each source ordered by "
            "sha256('skillspan-dev:{source}:{idx}'), even ranks held out "
            "(rolescope.enrich.skills.neural.split_dev)",
            "published state of the art": "62.6 merged strict span-F1 (ESCOXLM-R, 2023) is on SkillSpan "
            "*test*, which is not available here; our figures are on dev",
            "rolescope-minilm": "all-MiniLM-L6-v2 fine-tuned on SkillSpan train "
            "(scripts/train_neural_tagger.py); torch fp32 on one thread; timed on --neural-postings postings",
            "peers": "benchmarks/peers/run_peer.py in a separate venv (shared/PEERS.md); spans recovered "
            "from their output (see that script), all typed skill, so compare merged rows only; timed on "
            "--peer-postings postings with torch on one thread",
        },
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(payload, indent=2) + "\n")
    report(payload)


def report(payload: dict) -> None:
    print(f"taxonomy {payload['taxonomy']['version']} ({payload['taxonomy']['skills']} skills)")
    print(
        f"{'extractor':24} {'postings/s':>10} {'RSS MB':>7} {'dev strict':>10} {'dev partial':>11} "
        f"{'held-out strict':>15} {'held-out partial':>16}"
    )
    for r in payload["results"]:
        if "error" in r or "skipped" in r:
            print(f"{r['extractor']:24} {r.get('skipped') or 'failed: ' + ' | '.join(r['error'])}")
            continue
        cells = []
        for key in ("skillspan_dev", "skillspan_dev_heldout"):
            merged = {s["matching"]: s for s in r.get(key, []) if s["type"] == "merged"}
            cells += [f"{100 * merged[m]['f1']:.1f}" if m in merged else "-" for m in ("strict", "partial")]
        rate = r["postings_per_second"]
        print(
            f"{r['extractor']:24} {rate:>10,.{1 if rate >= 10 else 2}f} {r['peak_rss_mb']:>7} "
            f"{cells[0]:>10} {cells[1]:>11} {cells[2]:>15} {cells[3]:>16}"
        )
    print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
