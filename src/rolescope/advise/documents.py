"""Plain text from a résumé file: .txt, .md, .pdf or .docx.

Text files are read as UTF-8 (then cp1252, then latin-1, so any bytes decode); .docx with the standard
library (its ``word/document.xml``: paragraphs, tabs, line breaks and table cells); .pdf with ``pypdf``,
imported only when a PDF is read. Whitespace is tidied lightly: line breaks are kept, runs of spaces
become one, NULs and other control characters go. Every problem a person can fix is an
:class:`~rolescope.errors.InvalidInput` (or :class:`~rolescope.errors.NotFound`) of one line.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = Path(folder) / "cv.txt"
...     _ = path.write_bytes("Python   and\\x00 PyTorch\\r\\n\\r\\n\\r\\n\\r\\nDuckDB".encode())
...     read_document(path)
'Python and PyTorch\\n\\nDuckDB'
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

from rolescope.errors import InvalidInput, NotFound

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".pdf", ".docx")
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCX_XML_BYTES = 50 * 1024 * 1024  # document.xml unpacked: a guard against zip bombs

_SUPPORTED = ", ".join(SUPPORTED_SUFFIXES)
_PASTE_HINT = "paste the text into a .txt file and use that instead"
_OTHER_FORMATS = {
    ".doc": "save it as .docx or PDF",
    ".rtf": "save it as .docx, PDF or plain text",
    ".odt": "save it as .docx or PDF",
    ".pages": "export it as .docx or PDF",
}


def read_document(path: Path) -> str:
    """The plain text of a résumé (.txt, .md, .pdf or .docx), lightly normalised.

    Raises
    ------
    NotFound
        When the file does not exist.
    InvalidInput
        When the file is a folder, has another extension, is over 5 MB, cannot be read (a broken or
        password-protected file), or holds no text (a PDF of scanned images, say).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise NotFound(f"résumé file {path} does not exist", hint="check the path")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder, not a résumé file", hint=f"give a {_SUPPORTED} file")
    if suffix not in SUPPORTED_SUFFIXES:
        received = f"'{suffix}'" if suffix else "no extension"
        hint = f"{_OTHER_FORMATS[suffix]}; " if suffix in _OTHER_FORMATS else ""
        raise InvalidInput(
            f"résumé file {path.name} has {received}; supported: {_SUPPORTED}",
            hint=hint + "or paste the text into a .txt file",
        )
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            f"résumé file {path.name} is {size / 1024 / 1024:.1f} MB, over the 5 MB limit",
            hint="export a smaller file (a text PDF without images) or " + _PASTE_HINT,
        )
    try:
        data = path.read_bytes()
    except OSError as exc:  # permissions, a file removed meanwhile, a disk error
        raise _unreadable(path, exc.strerror or str(exc), hint="check the file's permissions") from None
    return _text_of(path, data)


def read_document_bytes(name: str, data: bytes) -> str:
    """The plain text of an uploaded résumé named ``name`` (its extension picks the reader), read in
    memory: nothing is written to disk. Same rules and errors as :func:`read_document`."""
    path = Path(Path(name).name or "upload")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        received = f"'{suffix}'" if suffix else "no extension"
        raise InvalidInput(
            f"résumé file {path.name} has {received}; supported: {_SUPPORTED}",
            hint="or paste the text instead",
        )
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            f"résumé file {path.name} is {len(data) / 1024 / 1024:.1f} MB, over the 5 MB limit",
            hint="export a smaller file (a text PDF without images) or paste the text",
        )
    return _text_of(path, data)


def _text_of(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    readers = {".pdf": _read_pdf, ".docx": _read_docx}
    text = normalize_text(readers.get(suffix, _read_text)(path, data))
    if not text and suffix != ".pdf":
        raise InvalidInput(f"résumé file {path.name} holds no text", hint="check that it is the right file")
    return text


# ---------------------------------------------------------------------------------------------
# Whitespace

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_AROUND_TAB = re.compile(r" *\t[\t ]*")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Light tidying: one kind of line break, no control characters, single spaces, at most one blank line.

    Tabs stay (one per run) because they separate columns, such as a job title and its dates.

    >>> normalize_text("  Skills:\\u00a0 Python,\\t\\t SQL \\r\\n\\x0c\\n\\nML\\x00 ")
    'Skills: Python,\\tSQL\\n\\nML'
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    lines = (_AROUND_TAB.sub("\t", _SPACES.sub(" ", line)).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------------------------------------
# Text and Markdown


def _read_text(path: Path, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # every byte is a latin-1 character, so this cannot fail


# ---------------------------------------------------------------------------------------------
# Word (.docx)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DOCUMENT_XML = "word/document.xml"
# Inline pieces of a run other than w:t; deleted text, field codes and the VML copies of text boxes
# (mc:Fallback) are skipped so nothing appears twice or appears that the reader never saw.
_INLINE = {
    f"{_W}tab": "\t",
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
    f"{_W}softHyphen": "",
}
_SKIPPED = {f"{_W}delText", f"{_W}instrText", f"{_W}del", _MC_FALLBACK}


def _read_docx(path: Path, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(_DOCUMENT_XML)
            if info.file_size > MAX_DOCX_XML_BYTES:
                raise _unreadable(path, f"{_DOCUMENT_XML} unpacks to {info.file_size // 2**20} MB")
            root = ElementTree.fromstring(archive.read(info))
    except zipfile.BadZipFile:
        raise _unreadable(
            path, "it is not a zip archive (a password-protected or old .doc file renamed to .docx?)"
        ) from None
    except KeyError:
        raise _unreadable(path, f"{_DOCUMENT_XML} is missing, so it is not a Word document") from None
    except ElementTree.ParseError as exc:
        raise _unreadable(path, f"{_DOCUMENT_XML} is not well-formed XML ({exc})") from None
    except (OSError, RuntimeError, NotImplementedError, zipfile.LargeZipFile) as exc:
        # RuntimeError: an encrypted zip entry; NotImplementedError: an unknown compression method.
        raise _unreadable(path, str(exc)) from None
    body = root.find(f"{_W}body")
    return "\n".join(_block_lines(body if body is not None else root))


def _block_lines(element: ElementTree.Element) -> Iterator[str]:
    """Lines of a body-like element: paragraphs one per line, table rows one per line."""
    for child in element:
        if child.tag == f"{_W}p":
            yield from _paragraph_lines(child)
        elif child.tag == f"{_W}tbl":
            yield from _table_lines(child)
        elif child.tag not in _SKIPPED:
            yield from _block_lines(child)  # content controls, custom XML, ...


def _paragraph_lines(paragraph: ElementTree.Element) -> Iterator[str]:
    parts: list[str] = []
    nested: list[str] = []  # paragraphs of text boxes anchored in this one, as their own lines
    _collect(paragraph, parts, nested)
    yield "".join(parts)
    yield from nested


def _collect(element: ElementTree.Element, parts: list[str], nested: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag in _INLINE:
            parts.append(_INLINE[tag])
        elif tag == f"{_W}txbxContent":
            nested.extend(_block_lines(child))
        else:
            _collect(child, parts, nested)


def _table_lines(table: ElementTree.Element) -> Iterator[str]:
    """One line per row, cells separated by a tab; a cell's own paragraphs joined by spaces."""
    for row in table.findall(f"{_W}tr"):  # direct rows only: a nested table is a cell's own content
        cells = [" ".join(_block_lines(cell)) for cell in row.findall(f"{_W}tc")]
        yield "\t".join(cells)


# ---------------------------------------------------------------------------------------------
# PDF


def _read_pdf(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    if b"%PDF-" not in data[:1024]:  # readers allow some junk before the header, not its absence
        raise _unreadable(path, "it is not a PDF (there is no %PDF header)")
    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data))
            # Many PDFs are encrypted only to restrict printing or copying, with an empty password.
            if reader.is_encrypted and not reader.decrypt(""):
                raise _unreadable(path, "it is password-protected", hint="save a copy without the password")
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except InvalidInput:
            raise
        except DependencyError as exc:  # AES encryption needs the optional 'cryptography' package
            raise _unreadable(
                path, f"it is encrypted ({exc})", hint="save a copy without encryption, or " + _PASTE_HINT
            ) from None
        except Exception as exc:
            # pypdf reports broken files through many exception types (its own, ValueError, KeyError,
            # struct and zlib errors, ...); any of them means this file cannot be read, not a bug here.
            reason = str(exc).strip() or type(exc).__name__
            raise _unreadable(path, f"the PDF is damaged ({reason})") from None
    if not normalize_text(text):
        raise InvalidInput(
            f"no text could be extracted from {path.name}: it is probably scanned images",
            hint=_PASTE_HINT + ", or export the résumé from its editor as a text PDF",
        )
    return text


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    # pypdf logs recoverable damage ("incorrect startxref pointer") as warnings; with no logging set
    # up Python would print them on stderr, around the one line a person should see.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _unreadable(path: Path, reason: str, *, hint: str | None = None) -> InvalidInput:
    return InvalidInput(
        f"could not read {path.name}: {reason}",
        hint=hint or f"open it and save it again, export it as PDF, or {_PASTE_HINT}",
    )
