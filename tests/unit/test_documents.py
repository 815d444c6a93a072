"""Résumé files to plain text: real .txt/.md, .docx (built with zipfile) and .pdf (written byte by byte)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from rolescope.advise.documents import MAX_DOCUMENT_BYTES, normalize_text, read_document
from rolescope.errors import InvalidInput, NotFound

# ---------------------------------------------------------------------------------------------
# Builders: the smallest files Word and PDF readers accept


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A valid PDF: one page per list, each string a line of Helvetica text; xref offsets computed."""
    page_ids = [3 + 2 * n for n in range(len(pages))]
    font_id = 3 + 2 * len(pages)
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] /Count {len(pages)} >>".encode(),
        font_id: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    for page_id, lines in zip(page_ids, pages, strict=True):
        shown = b" 0 -16 Td ".join(b"(" + line.encode("cp1252") + b") Tj" for line in lines)
        content = b"BT /F1 12 Tf 72 720 Td " + shown + b" ET"
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {page_id + 1} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>"
        ).encode()
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in sorted(objects))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx_bytes(body: str, *, document: str | None = None) -> bytes:
    """A .docx with the three parts Word needs; ``body`` is the XML inside w:body."""
    if document is None:
        document = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
            f"{body}</w:body></w:document>"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        if document:
            archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def para(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r>{run}</w:r>" for run in runs) + "</w:p>"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------
# PDF


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    data = pdf_bytes([["Python PyTorch"]])
    assert len(PdfReader(io.BytesIO(data), strict=True).pages) == 1  # the hand-built file is valid as is
    assert read_document(write(tmp_path, "cv.pdf", data)) == "Python PyTorch"


def test_pdf_lines_and_pages_stay_on_their_own_lines(tmp_path: Path) -> None:
    data = pdf_bytes([["Jane Doe", "Senior ML engineer"], ["Skills: Python,   SQL"]])
    text = read_document(write(tmp_path, "CV.PDF", data))
    assert text.splitlines() == ["Jane Doe", "Senior ML engineer", "Skills: Python, SQL"]


def test_pdf_encrypted_with_an_empty_password_is_read(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes([["Python PyTorch"]])))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert read_document(write(tmp_path, "cv.pdf", buffer.getvalue())) == "Python PyTorch"


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes([["Python PyTorch"]])))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InvalidInput) as raised:
        read_document(write(tmp_path, "locked.pdf", buffer.getvalue()))
    assert raised.value.message == "could not read locked.pdf: it is password-protected"
    assert "without the password" in raised.value.hint


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4\nthis is not really a PDF\n", "the PDF is damaged ("),
        (pdf_bytes([["Python PyTorch"]])[:60], "the PDF is damaged ("),
        (pdf_bytes([["Python PyTorch"]]).replace(b"%%EOF", b""), "the PDF is damaged ("),
        (b"just text with a .pdf name", "it is not a PDF (there is no %PDF header)"),
    ],
    ids=["garbage-after-header", "truncated", "no-eof-marker", "not-a-pdf"],
)
def test_corrupt_pdf_is_one_error(
    tmp_path: Path, data: bytes, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(InvalidInput) as raised:
        read_document(write(tmp_path, "broken.pdf", data))
    assert raised.value.message.startswith(f"could not read broken.pdf: {reason}")
    assert "save it again" in raised.value.hint
    assert capsys.readouterr().err == ""  # pypdf's own warnings stay quiet


def test_pdf_with_a_wrong_xref_offset_is_still_read(tmp_path: Path) -> None:
    data = pdf_bytes([["Python PyTorch"]])
    head, _, _ = data.rpartition(b"startxref\n")
    assert read_document(write(tmp_path, "cv.pdf", head + b"startxref\n12\n%%EOF\n")) == "Python PyTorch"


def test_pdf_without_text_is_probably_scanned(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InvalidInput) as raised:
        read_document(write(tmp_path, "scan.pdf", buffer.getvalue()))
    assert raised.value.message == "no text could be extracted from scan.pdf: it is probably scanned images"
    assert "paste the text into a .txt file" in raised.value.hint


# ---------------------------------------------------------------------------------------------
# Word


def test_docx_paragraphs_tabs_breaks_and_tables(tmp_path: Path) -> None:
    body = (
        para("<w:t>Jane Doe</w:t>")
        + para(
            "<w:t>ML engineer</w:t>", "<w:tab/>", "<w:t>2021</w:t>", "<w:t xml:space='preserve'> – now</w:t>"
        )
        + para("<w:t>Built</w:t>", "<w:br/>", "<w:t>ranking models</w:t>")
        + "<w:p/>"
        + "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Python</w:t></w:r></w:p></w:tc>"
        + "<w:tc><w:p><w:r><w:t>5 years</w:t></w:r></w:p><w:p><w:r><w:t>expert</w:t></w:r></w:p></w:tc></w:tr>"
        + "<w:tr><w:tc><w:p><w:r><w:t>PyTorch</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>"
        + "<w:sectPr/>"
    )
    text = read_document(write(tmp_path, "cv.docx", docx_bytes(body)))
    assert (
        text == "Jane Doe\nML engineer\t2021 – now\nBuilt\nranking models\n\nPython\t5 years expert\nPyTorch"
    )


def test_docx_keeps_links_and_insertions_and_drops_deleted_text(tmp_path: Path) -> None:
    body = (
        "<w:p><w:hyperlink><w:r><w:t>github.com/jane</w:t></w:r></w:hyperlink></w:p>"
        "<w:p><w:ins><w:r><w:t>Kubernetes</w:t></w:r></w:ins>"
        "<w:del><w:r><w:delText>COBOL</w:delText></w:r></w:del></w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>Summary in a content control</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    text = read_document(write(tmp_path, "cv.docx", docx_bytes(body)))
    assert text == "github.com/jane\nKubernetes\nSummary in a content control"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04 not really a zip", "it is not a zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .doc", "it is not a zip archive"),
        (docx_bytes("", document=""), "word/document.xml is missing"),
        (docx_bytes("", document="<w:document><w:body>"), "word/document.xml is not well-formed XML"),
    ],
    ids=["broken-zip", "ole-doc", "no-document-xml", "bad-xml"],
)
def test_broken_docx_is_one_error(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        read_document(write(tmp_path, "cv.docx", data))
    assert raised.value.message.startswith(f"could not read cv.docx: {reason}")
    assert raised.value.hint


def test_docx_without_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"cv\.docx holds no text"):
        read_document(write(tmp_path, "cv.docx", docx_bytes("<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>")))


# ---------------------------------------------------------------------------------------------
# Text and Markdown


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café – résumé".encode(), "Café – résumé"),
        ("\ufeffCafé résumé".encode(), "Café résumé"),
        ("Café – résumé".encode("cp1252"), "Café – résumé"),
        (b"caf\xe9 \x81ok", "café ok"),  # 0x81 is undefined in cp1252: latin-1, control dropped
        ("Café résumé".encode("utf-16"), "Café résumé"),
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "latin-1", "utf-16-bom"],
)
def test_text_encodings(tmp_path: Path, data: bytes, expected: str) -> None:
    assert read_document(write(tmp_path, "cv.txt", data)) == expected


def test_markdown_is_read_as_text(tmp_path: Path) -> None:
    data = b"# Jane Doe\r\n\r\n- Python\r\n- **PyTorch**\r\n"
    assert read_document(write(tmp_path, "README.MD", data)) == "# Jane Doe\n\n- Python\n- **PyTorch**"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a  b\u00a0\u00a0c", "a b c"),
        ("a\x00b", "ab"),
        ("  indented  \n\n\n\n\nnext  ", "indented\n\nnext"),
        ("title \t\t 2021", "title\t2021"),
        ("one\rtwo\r\nthree\x0cfour", "one\ntwo\nthree\nfour"),
        ("zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"),
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


# ---------------------------------------------------------------------------------------------
# Files that are not résumés we can read


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as raised:
        read_document(tmp_path / "absent.pdf")
    assert raised.value.message == f"résumé file {tmp_path / 'absent.pdf'} does not exist"


@pytest.mark.parametrize(
    ("name", "received", "hint"),
    [
        ("cv.doc", "'.doc'", "save it as .docx or PDF"),
        ("cv.rtf", "'.rtf'", "save it as .docx, PDF or plain text"),
        ("cv.png", "'.png'", "paste the text into a .txt file"),
        ("cv", "no extension", "paste the text into a .txt file"),
    ],
)
def test_unsupported_extension_lists_the_supported_ones(
    tmp_path: Path, name: str, received: str, hint: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        read_document(write(tmp_path, name, b"Python"))
    assert raised.value.message == f"résumé file {name} has {received}; supported: .txt, .md, .pdf, .docx"
    assert hint in raised.value.hint


def test_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "cv.pdf"
    folder.mkdir()
    with pytest.raises(InvalidInput, match="is a folder"):
        read_document(folder)


@pytest.mark.parametrize("name", ["big.txt", "big.pdf"])
def test_file_over_5_mb_is_refused(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"Python ")
    os.truncate(path, MAX_DOCUMENT_BYTES + 1)
    with pytest.raises(InvalidInput) as raised:
        read_document(path)
    assert raised.value.message == f"résumé file {name} is 5.0 MB, over the 5 MB limit"


def test_file_of_exactly_5_mb_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "cv.txt", b"Python " * (MAX_DOCUMENT_BYTES // 7) + b"x" * (MAX_DOCUMENT_BYTES % 7))
    assert path.stat().st_size == MAX_DOCUMENT_BYTES
    assert read_document(path).startswith("Python Python")


def test_empty_text_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"cv\.md holds no text"):
        read_document(write(tmp_path, "cv.md", b" \n\x00\n"))
