"""Public datasets rolescope knows how to fetch, for users who are online.

A fetch writes to a temporary file and renames it into place only after the content is recognised,
so an interrupted or wrong download never replaces a good copy.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rolescope.errors import InvalidInput, NotFound
from rolescope.sources.detect import detect_format


@dataclass(frozen=True, slots=True)
class PublicDataset:
    name: str
    url: str
    file_name: str
    format: str
    licence: str
    description: str


DATASETS: dict[str, PublicDataset] = {
    "aijobs-salaries": PublicDataset(
        name="aijobs-salaries",
        url="https://aijobs.net/salaries/download/salaries.csv",
        file_name="aijobs_salaries.csv",
        format="aijobs-salaries",
        licence="CC0 (public domain), as published by ai-jobs.net",
        description="AI/ML/data salary survey records 2020-present: title, level, salary, currency, "
        "USD, residence, remote ratio, company location and size",
    ),
}


def get_dataset(name: str) -> PublicDataset:
    if name not in DATASETS:
        raise NotFound(f"unknown dataset '{name}'", hint=f"choose one of: {', '.join(DATASETS)}")
    return DATASETS[name]


def fetch_dataset(
    name: str, dest_dir: Path, *, from_file: Path | None = None, url: str | None = None, timeout: float = 60.0
) -> Path:
    """Download (or copy from ``from_file``) a dataset into ``dest_dir``; returns the saved path."""
    dataset = get_dataset(name)
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(
            f"cannot create {dest_dir} ({exc.strerror or exc})",
            hint="set ROLESCOPE_DATA_DIR to a writable folder",
        ) from None
    target = dest_dir / dataset.file_name
    with tempfile.NamedTemporaryFile(
        dir=dest_dir, prefix=f".{dataset.file_name}.", suffix=".part", delete=False
    ) as tmp:
        tmp_path = Path(tmp.name)
        try:
            if from_file is not None:
                _copy_local(Path(from_file), tmp)
            else:
                _download(url or dataset.url, tmp, timeout)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise
    try:
        found = detect_format(tmp_path)
        if found.format.name != dataset.format:
            raise InvalidInput(
                f"the {name} source gave a {found.format.name} file, not {dataset.format}",
                hint="check the --from file or --url",
            )
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    tmp_path.replace(target)
    return target


def _copy_local(source: Path, out) -> None:
    if not source.is_file():
        raise NotFound(f"no such file: {source}")
    with open(source, "rb") as fh:
        shutil.copyfileobj(fh, out)


def _download(url: str, out, timeout: float) -> None:
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "rolescope"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            shutil.copyfileobj(response, out)
    except ValueError as exc:
        raise InvalidInput(
            f"--url {url!r} is not a URL ({exc})", hint="e.g. https://example.org/file.csv"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InvalidInput(
            f"could not download {url} ({reason})",
            hint="check your connection, or use a local copy: --from FILE",
        ) from None
