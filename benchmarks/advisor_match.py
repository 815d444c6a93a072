"""Job matching (rolescope.advise.match): index builds, top-10 query latency with semantic matching on
and off, and how far semantic matching changes the top 10, on a real store.

Phases, each in its own spawned process so peak RSS (getrusage) is the phase's own:

1. build: copy the enriched store (default /tmp/full.duckdb) to --work, open it (migrates the schema),
   and time ``enrich_search_index`` over every posting; then time a second, incremental run (nothing
   pending) the way ``rolescope enrich`` repeats it. The indexed store is then copied to --off: the
   same store without embeddings, which matching ranks with semantic matching off.
2. embed (needs the extra, ``pip install "rolescope[semantic]"``): time loading the shipped static
   model, then ``enrich_embeddings`` over every posting of --work (postings/s), then an incremental
   re-run.
3. query: open both stores read-only as the CLI would, time each first ``load_match_index`` (cold),
   then time ``match_jobs(top=10)`` for each of the PROFILES below under each filter set in FILTERS
   (one warm-up query first), --rounds times over, the semantic-on store and the semantic-off store
   taking turns query by query so both see the same machine. The person's skills are found in the
   profile text by the skill extractor once, before timing, as `rolescope advise` does; only
   ``match_jobs`` is timed.
4. quality, without relevance labels (none exist for this store): for each profile, unfiltered, how
   many of the semantic-on top 10 are also in the semantic-off top 10; and, for the profiles whose
   opening title names one of rolescope's roles (INTENDED_ROLE), the share of the top 10 that the
   role classifier reads as that role, on vs off. Agreement with a classifier is not relevance: it
   says whether semantic matching pulls the list toward or away from the profile's stated role.

The profiles are short résumé-like texts written for this benchmark (not real people), spread over
the roles in the store and beyond it (frontend, embedded, analyst) so some have few good matches.

Run: python benchmarks/advisor_match.py [--db /tmp/full.duckdb] [--work /tmp/sem_bench.duckdb]
"""

# ruff: noqa: E501 - the profile texts below are prose, one per line
from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "advisor_match.json"
TOP = 10
TARGET_P95_MS = 200.0

PROFILES = [
    "AI engineer, 4 years. Built retrieval-augmented generation over support tickets with LangChain and pgvector; prompt engineering, evaluation harnesses for LLM answers; Python, FastAPI, AWS.",
    "Machine learning engineer. Trained and deployed ranking models for an e-commerce search team with PyTorch and XGBoost; feature stores, A/B testing, Kubernetes, Python and SQL.",
    "Data engineer with six years of batch and streaming ETL: Apache Spark in Scala, Kafka, Airflow, dbt on Snowflake; data modeling and data quality checks.",
    "Data scientist in fintech: credit risk models with scikit-learn and gradient boosting, causal inference for pricing experiments, SQL, Python, Tableau dashboards for executives.",
    "MLOps engineer: CI/CD for models, MLflow model registry, Kubeflow pipelines on Kubernetes, Terraform on GCP, Prometheus monitoring for model drift.",
    "Research scientist, PhD in machine learning. Published on self-supervised learning and diffusion models at NeurIPS and ICML; JAX and PyTorch; large-scale distributed training on TPUs.",
    "Computer vision engineer: object detection and segmentation for autonomous driving, PyTorch, OpenCV, TensorRT, CUDA; data labeling pipelines and model quantization for edge devices.",
    "NLP engineer: named entity recognition and text classification with transformers and Hugging Face; multilingual models, spaCy, Python; deployed with Docker on Azure.",
    "Senior backend engineer moving into AI. Go and Python microservices, PostgreSQL, Redis, gRPC; recently built an LLM agent with tool calling and OpenAI function calling.",
    "Frontend engineer: React, TypeScript, Next.js, design systems and accessibility; some experience wiring chat UIs to LLM APIs.",
    "Analytics engineer: dbt models, Looker, BigQuery, SQL; built the metrics layer and data contracts for a marketplace.",
    "Platform engineer for ML: GPU cluster scheduling with Slurm and Kubernetes, Ray for distributed training, model serving with Triton and vLLM, observability.",
    "Applied scientist in recommendation systems: two-tower retrieval, embeddings, learning to rank, online experiments; Python, Spark, TensorFlow.",
    "Junior data analyst: Excel, SQL, Power BI, Python pandas; reporting for sales and operations; looking for a first data science role.",
    "LLM fine-tuning specialist: LoRA and QLoRA, RLHF and DPO, dataset curation, evaluation with lm-eval-harness, Hugging Face Transformers and DeepSpeed on multi-GPU nodes.",
    "Speech recognition engineer: ASR with wav2vec and Whisper, keyword spotting, audio signal processing, C++ and Python, on-device inference.",
    "Robotics perception engineer: SLAM, sensor fusion of lidar and camera, ROS 2, C++, point cloud deep learning.",
    "Data platform lead: designed a lakehouse on Databricks with Delta Lake and Unity Catalog; Spark Structured Streaming, Terraform, team of six engineers.",
    "AI product engineer: shipped generative AI features, prompt design, RAG with Pinecone, evaluation of hallucinations, TypeScript and Python, Vercel AI SDK.",
    "Quantitative researcher: time series forecasting, statistical arbitrage, Python, NumPy, pandas, C++, Bayesian statistics.",
    "Healthcare data scientist: clinical NLP on EHR notes, survival analysis, R and Python, HIPAA-compliant pipelines on AWS.",
    "Search relevance engineer: Elasticsearch and OpenSearch, BM25 tuning, vector search, query understanding, Java and Python.",
    "Security engineer interested in AI: threat detection models, anomaly detection, SIEM, Python, adversarial machine learning and LLM red teaming.",
    "Site reliability engineer: Kubernetes, Terraform, AWS, Prometheus, Grafana, incident response, Go; wants to support ML infrastructure.",
    "Embedded software engineer: C and C++ on ARM microcontrollers, RTOS, TinyML models on the edge with TensorFlow Lite.",
    "Machine learning engineer for ads: click-through-rate prediction, deep learning on sparse features, TensorFlow, Spark, real-time feature pipelines with Flink.",
    "Conversational AI developer: chatbots with Rasa and Dialogflow, intent classification, LLM agents with LangGraph, Python, Node.js.",
    "Data engineer on AWS: Glue, Redshift, Lambda, Step Functions, Kinesis; Python and SQL; infrastructure as code with CDK.",
    "Statistician: experimental design, A/B testing, hypothesis testing, mixed effects models, R and SQL; supports product teams with causal analysis.",
    "GenAI solutions architect: designs LLM applications for enterprise customers, Azure OpenAI, retrieval pipelines, responsible AI and governance.",
    "Deep learning engineer: model compression, pruning and distillation, CUDA kernels, Triton, profiling inference latency on GPUs.",
    "Bioinformatics scientist: genomics pipelines, protein language models, PyTorch, Nextflow, Python and R on HPC clusters.",
    "Data scientist in marketing: customer segmentation, churn prediction, uplift modeling, marketing mix models, Python, SQL, Snowflake.",
    "ML engineer in fraud detection: graph neural networks, real-time scoring with Kafka, feature engineering, Python, Java, AWS SageMaker.",
    "Full-stack engineer: Python Django and React, PostgreSQL, Docker; built internal tools; learning machine learning with fast.ai.",
    "AI researcher in reinforcement learning: multi-agent RL, policy optimization, simulation environments, PyTorch, C++.",
    "Data engineer for analytics: Airflow, Postgres, dbt, Fivetran, BigQuery, Looker; owns ingestion from SaaS tools.",
    "Staff ML engineer: led the ML platform, feature store with Feast, model serving on Kubernetes, mentoring, architecture reviews, Python and Go.",
    "Computer vision researcher: 3D reconstruction, neural radiance fields, generative image models, Stable Diffusion fine-tuning, PyTorch.",
    "Document AI engineer: OCR, layout analysis, information extraction from invoices with transformers, Python, Azure Form Recognizer.",
    "ML engineer in autonomous trucks: prediction and planning models, PyTorch, large-scale data pipelines, C++ deployment, simulation.",
    "Data quality engineer: Great Expectations, data observability, SQL testing, Airflow, Python; defines SLAs for data products.",
    "Applied AI engineer in legal tech: LLM summarization and contract review, RAG, prompt evaluation, Python, Azure.",
    "Business intelligence developer: SSIS, SQL Server, Power BI, DAX, data warehousing with star schemas.",
    "Time series ML engineer: demand forecasting with Prophet and deep learning, feature engineering, Spark, Python, retail domain.",
    "Cloud data architect: Azure Data Factory, Synapse, Databricks, data governance with Purview, Python and SQL.",
    "AI safety researcher: interpretability of transformer language models, evaluations, red teaming, PyTorch, mechanistic interpretability.",
    "Machine learning intern: coursework in deep learning, Kaggle competitions with LightGBM, Python, pandas, PyTorch, Jupyter.",
    "Voice AI engineer: text-to-speech models, speech synthesis, audio deep learning, PyTorch, real-time streaming inference.",
    "Edge AI engineer: model deployment on NVIDIA Jetson, ONNX Runtime, quantization, C++ and Python, camera pipelines with GStreamer.",
]

# The role each profile's opening title names, by one rule applied to the title alone: "AI ... engineer
# / developer" -> ai_engineer; "ML / machine learning / deep learning engineer" and ML specialties
# (computer vision, NLP, speech, robotics perception) -> ml_engineer; "data engineer" and "data ...
# engineer" -> data_engineer; "data scientist" -> data_scientist; "MLOps engineer" -> mlops_engineer;
# "research / applied scientist" and "... researcher" -> research_scientist; "platform engineer for
# ML" -> ml_platform_engineer. Titles that name no role (frontend, analyst, architect, statistician,
# SRE, specialist, lead, ...) get None and are left out of the role check.
INTENDED_ROLE: list[str | None] = [
    "ai_engineer", "ml_engineer", "data_engineer", "data_scientist", "mlops_engineer",  # 0-4
    "research_scientist", "ml_engineer", "ml_engineer", None, None,  # 5-9
    None, "ml_platform_engineer", "research_scientist", None, None,  # 10-14
    "ml_engineer", "ml_engineer", None, "ai_engineer", None,  # 15-19
    "data_scientist", None, None, None, None,  # 20-24
    "ml_engineer", "ai_engineer", "data_engineer", None, None,  # 25-29
    "ml_engineer", None, "data_scientist", "ml_engineer", None,  # 30-34
    "research_scientist", "data_engineer", "ml_engineer", "research_scientist", "ai_engineer",  # 35-39
    "ml_engineer", "data_engineer", "ai_engineer", None, "ml_engineer",  # 40-44
    None, "research_scientist", "ml_engineer", "ai_engineer", "ai_engineer",  # 45-49
]  # fmt: skip

FILTERS: dict[str, dict[str, Any]] = {
    "none": {},
    "remote": {"arrangements": frozenset({"remote"})},
    "country_us_pay_150k": {"country": "US", "min_pay_usd": 150_000},
    "role_ml_engineer": {"role": "ml_engineer"},
    "location_text_london": {"location": "london"},
}


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def in_child(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``fn(*args)`` in a fresh spawned process so its peak RSS is its own; add wall seconds."""
    started = time.perf_counter()
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        result = pool.submit(fn, *args).result()
    result["phase_seconds"] = round(time.perf_counter() - started, 1)
    return result


def percentiles(samples: list[float]) -> dict[str, Any]:
    import numpy as np

    ms = np.array(samples) * 1000
    return {
        "n": len(samples),
        **{f"p{q}_ms": round(float(np.percentile(ms, q)), 2) for q in (50, 95, 99)},
        "max_ms": round(float(ms.max()), 2),
    }


# --- phases (children) ------------------------------------------------------------------------------


def build_phase(db: str) -> dict[str, Any]:
    from rolescope.enrich.search_index import enrich_search_index
    from rolescope.store import connect

    path = Path(db)
    size_before = path.stat().st_size
    con = connect(path)
    try:
        t0 = time.perf_counter()
        first = enrich_search_index(con)
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = enrich_search_index(con)
        noop = time.perf_counter() - t0
        con.execute("CHECKPOINT")
        vocabulary = con.execute("SELECT count(*) FROM search_terms").fetchone()[0]
        canonical = con.execute("SELECT count(*) FROM postings_canonical").fetchone()[0]
    finally:
        con.close()
    return {
        "postings_indexed": first.processed,
        "canonical_postings": canonical,
        "posting_terms": first.mentions,
        "vocabulary_terms": vocabulary,
        "build_seconds": round(build, 2),
        "postings_per_second": round(first.processed / build, 1),
        "incremental_rerun": {"pending": again.pending, "seconds": round(noop, 3)},
        "store_mb_before": round(size_before / 2**20, 1),
        "store_mb_after": round(path.stat().st_size / 2**20, 1),
        "peak_rss_mb": rss_mb(),
    }


def embed_phase(db: str) -> dict[str, Any]:
    from rolescope.enrich.embedding_index import enrich_embeddings
    from rolescope.enrich.embeddings import default_embedder
    from rolescope.store import connect

    path = Path(db)
    size_before = path.stat().st_size
    t0 = time.perf_counter()
    embedder = default_embedder()
    load = time.perf_counter() - t0
    con = connect(path)
    try:
        t0 = time.perf_counter()
        first = enrich_embeddings(con)
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = enrich_embeddings(con)
        noop = time.perf_counter() - t0
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {
        "model_version": first.step_version,
        "dims": embedder.dims,
        "model_load_seconds": round(load, 2),
        "postings_embedded": first.processed,
        "embed_seconds": round(build, 2),
        "postings_per_second": round(first.processed / build, 1),
        "timed": "enrich_embeddings(con): read pending batches of 500, embed title + description, write and commit",
        "incremental_rerun": {"pending": again.pending, "seconds": round(noop, 3)},
        "store_mb_before": round(size_before / 2**20, 1),
        "store_mb_after": round(path.stat().st_size / 2**20, 1),
        "peak_rss_mb": rss_mb(),
    }


def _load(con: Any) -> tuple[Any, float]:
    from rolescope.advise.match import load_match_index

    t0 = time.perf_counter()
    index = load_match_index(con)
    return index, round(time.perf_counter() - t0, 2)


def _timed_queries(cons: dict[str, Any], skills: list[frozenset[str]], rounds: int) -> dict[str, Any]:
    """Every profile x filter set, --rounds times, semantic on and off taking turns query by query."""
    from rolescope.advise.match import MatchFilters, match_jobs

    times = {mode: {name: [] for name in FILTERS} for mode in cons}
    modes = {mode: {"on": 0, "off": 0} for mode in cons}
    empty = {mode: {name: 0 for name in FILTERS} for mode in cons}
    tops: dict[str, list[list[Any]]] = {mode: [] for mode in cons}
    for round_no in range(rounds):
        for text, have in zip(PROFILES, skills, strict=True):
            for name, filt in FILTERS.items():
                for mode, con in cons.items():
                    t0 = time.perf_counter()
                    result = match_jobs(con, text, have, filters=MatchFilters(**filt), top=TOP)
                    times[mode][name].append(time.perf_counter() - t0)
                    modes[mode][result.semantic] += 1
                    empty[mode][name] += not result.matches
                    if round_no == 0 and name == "none":
                        tops[mode].append(list(result.matches))
    return {"times": times, "modes": modes, "empty": empty, "tops": tops}


def query_phase(on_db: str, off_db: str, rounds: int) -> dict[str, Any]:
    from rolescope.advise.match import MatchFilters, match_jobs
    from rolescope.advise.profile import find_evidence
    from rolescope.store import connect

    skills = [frozenset(find_evidence(text)) for text in PROFILES]  # as `rolescope advise` reads them
    out: dict[str, Any] = {"rss_before_load_mb": rss_mb(), "index_load_seconds": {}}
    cons = {"on": connect(Path(on_db), read_only=True), "off": connect(Path(off_db), read_only=True)}
    try:
        for mode, con in cons.items():
            index, seconds = _load(con)
            out["index_load_seconds"][mode] = seconds
            out["postings"] = index.size
            out[f"rss_after_load_{mode}_mb"] = rss_mb()
            match_jobs(con, PROFILES[0], skills[0], filters=MatchFilters(**FILTERS["role_ml_engineer"]))
        runs = _timed_queries(cons, skills, rounds)
        first = match_jobs(cons["on"], PROFILES[0], skills[0], top=3)
        out["semantic_note_on"] = first.semantic_note
        out["semantic_note_off"] = match_jobs(cons["off"], PROFILES[0], skills[0], top=3).semantic_note
        out["example_on"] = {
            "profile": PROFILES[0][:80] + "...",
            "skills_found": sorted(skills[0]),
            "weights": first.weights,
            "top3": [
                {"title": m.title, "company": m.company, "score": m.score, "lexical": m.lexical,
                 "skill_overlap": m.skill_overlap, "semantic": m.semantic}
                for m in first.matches
            ],
        }  # fmt: skip
    finally:
        for con in cons.values():
            con.close()
    out["semantic_modes_seen"] = runs["modes"]
    out["empty_results"] = runs["empty"]
    out["latency_top10"] = {
        mode: percentiles([s for samples in t.values() for s in samples]) for mode, t in runs["times"].items()
    }
    out["latency_by_filter"] = {
        name: {mode: percentiles(runs["times"][mode][name]) for mode in cons} for name in FILTERS
    }
    out["on_over_off"] = {
        q: round(out["latency_top10"]["on"][q] / out["latency_top10"]["off"][q], 2)
        for q in ("p50_ms", "p95_ms", "p99_ms")
    }
    out["quality"] = quality(runs["tops"]["on"], runs["tops"]["off"])
    out["peak_rss_mb"] = rss_mb()
    return out


def quality(tops_on: list[list[Any]], tops_off: list[list[Any]]) -> dict[str, Any]:
    """Top-10 overlap on vs off per profile, and the share of each top 10 read as the profile's role."""
    import numpy as np

    overlap = [
        len({m.posting_id for m in on} & {m.posting_id for m in off}) / TOP
        for on, off in zip(tops_on, tops_off, strict=True)
    ]
    shares: dict[str, list[float]] = {"on": [], "off": []}
    for role, on, off in zip(INTENDED_ROLE, tops_on, tops_off, strict=True):
        if role is None:
            continue
        shares["on"].append(sum(m.role == role for m in on) / TOP)
        shares["off"].append(sum(m.role == role for m in off) / TOP)
    on, off = np.array(shares["on"]), np.array(shares["off"])
    return {
        "profiles": len(overlap),
        "filters": "none",
        "top10_overlap_on_vs_off": {
            "mean": round(float(np.mean(overlap)), 3),
            "median": round(float(np.median(overlap)), 3),
            "min": round(float(np.min(overlap)), 3),
            "profiles_with_same_ten": int(sum(o == 1.0 for o in overlap)),
        },
        "intended_role_share_of_top10": {
            "profiles_labelled": len(on),
            "labels": "INTENDED_ROLE in this file: the role each profile's opening title names",
            "on_mean": round(float(on.mean()), 3),
            "off_mean": round(float(off.mean()), 3),
            "profiles_on_higher": int((on > off).sum()),
            "profiles_on_lower": int((on < off).sum()),
            "profiles_equal": int((on == off).sum()),
            "paired_mean_difference": round(float((on - off).mean()), 3),
            "paired_difference_std_error": round(float((on - off).std(ddof=1) / np.sqrt(len(on))), 3),
        },
    }


# --- driver -----------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    from machine import machine as describe

    return describe("duckdb", "numpy", "model2vec")


def _plain(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in filters.items()}


def table(report: dict[str, Any]) -> str:
    build, embed, query = report["build"], report["embed"], report["query"]
    lines = [
        f"postings indexed {build['postings_indexed']:,} ({build['canonical_postings']:,} canonical), "
        f"{build['posting_terms']:,} posting-term pairs, {build['vocabulary_terms']:,} terms",
        f"index build {build['build_seconds']} s ({build['postings_per_second']:,} postings/s), "
        f"re-run with nothing pending {build['incremental_rerun']['seconds']} s; "
        f"store {build['store_mb_before']} -> {build['store_mb_after']} MB",
        f"embeddings: model load {embed['model_load_seconds']} s, {embed['postings_embedded']:,} postings "
        f"in {embed['embed_seconds']} s ({embed['postings_per_second']:,} postings/s), re-run "
        f"{embed['incremental_rerun']['seconds']} s; store {embed['store_mb_before']} -> {embed['store_mb_after']} MB",
        f"index load (cold): semantic on {query['index_load_seconds']['on']} s, off "
        f"{query['index_load_seconds']['off']} s; peak RSS {query['peak_rss_mb']} MB (both loaded)",
        "",
        f"{'top-10 query, filters':<24}{'':>4}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}",
    ]
    rows = {**query["latency_by_filter"], "ALL": query["latency_top10"]}
    for name, by_mode in rows.items():
        for mode, stats in by_mode.items():
            lines.append(
                f"{name if mode == 'on' else '':<24}{mode:>4}{stats['n']:>6}{stats['p50_ms']:>10}"
                f"{stats['p95_ms']:>10}{stats['p99_ms']:>10}{stats['max_ms']:>10}"
            )
    ratio = query["on_over_off"]
    lines.append(f"on / off: p50 x{ratio['p50_ms']}, p95 x{ratio['p95_ms']}, p99 x{ratio['p99_ms']}")
    q = query["quality"]
    overlap, roles = q["top10_overlap_on_vs_off"], q["intended_role_share_of_top10"]
    lines += [
        "",
        f"quality (no labels; {q['profiles']} profiles, no filter): top-10 overlap on vs off mean "
        f"{overlap['mean']}, median {overlap['median']}, min {overlap['min']}, "
        f"{overlap['profiles_with_same_ten']} profiles with the same ten",
        f"share of top 10 the classifier reads as the profile's role ({roles['profiles_labelled']} labelled "
        f"profiles): on {roles['on_mean']}, off {roles['off_mean']} (paired difference "
        f"{roles['paired_mean_difference']} +- {roles['paired_difference_std_error']} s.e.; on higher for "
        f"{roles['profiles_on_higher']}, lower for {roles['profiles_on_lower']}, equal for {roles['profiles_equal']})",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", type=Path, default=Path("/tmp/full.duckdb"), help="an enriched store (copied)"
    )
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/sem_bench.duckdb"), help="the copy to index and embed"
    )
    parser.add_argument(
        "--off",
        type=Path,
        default=Path("/tmp/sem_bench_off.duckdb"),
        help="the indexed copy without embeddings",
    )
    parser.add_argument("--rounds", type=int, default=2, help="passes over every profile and filter set")
    opts = parser.parse_args()
    if not opts.db.exists():
        parser.error(
            f"no store at {opts.db}; build one: rolescope ingest ../shared/data/salaries/aijobs_salaries.csv "
            f"../shared/data/postings/*.jsonl.gz --db {opts.db} && rolescope enrich --db {opts.db}"
        )
    from rolescope.enrich.embeddings import available

    if not available():
        parser.error('semantic matching needs the extra: pip install "rolescope[semantic]"')
    started = time.perf_counter()
    report: dict[str, Any] = {"machine": machine()}
    shutil.copyfile(opts.db, opts.work)
    report["inputs"] = {
        "store": str(opts.db),
        "semantic_on_copy": str(opts.work),
        "semantic_off_copy": str(opts.off),
        "profiles": len(PROFILES),
        "filters": {name: _plain(f) for name, f in FILTERS.items()},
        "rounds": opts.rounds,
        "top": TOP,
        "timed": "match_jobs(con, text, skills, filters=..., top=10) after the index is loaded; "
        "on and off stores take turns query by query",
    }
    print(f"indexing a copy of {opts.db} ...", flush=True)
    report["build"] = in_child(build_phase, str(opts.work))
    print(f"  {report['build']['build_seconds']} s", flush=True)
    shutil.copyfile(opts.work, opts.off)
    print("embedding ...", flush=True)
    report["embed"] = in_child(embed_phase, str(opts.work))
    print(f"  {report['embed']['embed_seconds']} s", flush=True)
    print("querying, semantic on and off ...", flush=True)
    report["query"] = in_child(query_phase, str(opts.work), str(opts.off), opts.rounds)
    p95 = max(report["query"]["latency_top10"][mode]["p95_ms"] for mode in ("on", "off"))
    report["target"] = {"p95_ms": TARGET_P95_MS, "met": p95 < TARGET_P95_MS}
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(table(report))
    print(f"target p95 < {TARGET_P95_MS:.0f} ms: {'met' if report['target']['met'] else 'MISSED'} ({p95} ms)")
    print(f"wrote {RESULTS.relative_to(REPO)} in {report['total_seconds']} s")


if __name__ == "__main__":
    sys.exit(main())
