"""Readers for DOCX, PDF, OFD, HTML and text in any common encoding; bad files give clear errors."""

from __future__ import annotations

import io
import random
import zipfile

import docx
import pytest
from pypdf import PdfWriter

from gongkai.ingest.extract import extract_text
from gongkai.text.readers import ReadError, read_bytes
from paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "ingest"
WORKPLAN = (FIXTURES / "workplan.txt").read_text(encoding="utf-8")


def make_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "附表", "内容"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_ofd(text: str) -> bytes:
    ns = "http://www.ofdspec.org/2016"
    objects = "".join(
        f'<ofd:TextObject ID="{i + 10}" Boundary="20 {30 + i * 8} 170 8" Font="1" Size="4">'
        f'<ofd:TextCode X="0" Y="6">{line.replace("&", "&amp;").replace("<", "&lt;")}</ofd:TextCode></ofd:TextObject>'
        for i, line in enumerate(line for line in text.splitlines() if line.strip())
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "OFD.xml",
            f'<ofd:OFD xmlns:ofd="{ns}" Version="1.0"><ofd:DocBody><ofd:DocInfo/><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
        )
        archive.writestr(
            "Doc_0/Document.xml",
            f'<ofd:Document xmlns:ofd="{ns}"><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        )
        archive.writestr(
            "Doc_0/Pages/Page_0/Content.xml",
            f'<ofd:Page xmlns:ofd="{ns}"><ofd:Content><ofd:Layer ID="2">{objects}</ofd:Layer></ofd:Content></ofd:Page>',
        )
    return buffer.getvalue()


def _core(text: str) -> tuple:
    data = extract_text(text).as_dict()
    return (
        data["doc_number"],
        data["title"],
        data["written_date"],
        data["printed_date"],
        tuple(data["cc_list"]),
    )


EXPECTED = ("静府办发〔2023〕5号", "上海市静安区人民政府办公室关于印发《2023年静安区政务公开工作要点》的通知", "2023-04-23", "2023-04-23",
            ("区委各部门", "区人大常委会办公室", "区政协办公室", "区法院", "区检察院", "区各人民团体"))  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("plan.txt", WORKPLAN.encode("utf-8"), "text"),
        ("plan.txt", WORKPLAN.encode("gb18030"), "text"),
        ("plan.txt", WORKPLAN.encode("utf-16"), "text"),
        ("plan.txt", "\ufeff".encode() + WORKPLAN.encode("utf-8"), "text"),
        ("plan.docx", make_docx(WORKPLAN), "docx"),
        ("plan.ofd", make_ofd(WORKPLAN), "ofd"),
        ("plan.html", ("<html><head><meta charset='gbk'><script>var a='<p>x</p>';</script></head><body>"
                       + "".join(f"<p>{line}</p>" for line in WORKPLAN.splitlines()) + "</body></html>").encode("gbk"), "html"),
    ],
)  # fmt: skip
def test_every_format_and_encoding_yields_the_same_elements(name: str, content: bytes, fmt: str) -> None:
    result = read_bytes(content, name)
    assert result.format == fmt
    assert _core(result.text) == EXPECTED


def test_pdf_text_layer_is_read_and_layout_cleaned() -> None:
    result = read_bytes((FIXTURES / "govdoc-397.pdf").read_bytes(), "397.pdf")
    assert result.format == "pdf" and result.pages == 5
    assert "— 1 —" not in result.text
    assert "2019年8月20日" in result.text


def test_mislabelled_pdf_is_read_as_pdf_with_a_warning() -> None:
    result = read_bytes((FIXTURES / "govdoc-397.pdf").read_bytes(), "397.docx")
    assert result.format == "pdf"
    assert "PDF" in result.warnings[0]


def _blank_pdf(password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("scan.pdf", _blank_pdf(), "scanned"),
        ("secret.pdf", _blank_pdf("secret"), "encrypted"),
        ("half.docx", make_docx(WORKPLAN)[:3000], "unsupported"),
        ("half.pdf", (FIXTURES / "govdoc-397.pdf").read_bytes()[:2000], "corrupt"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\n ", "empty"),
        ("random.pdf", random.Random(4096).randbytes(4096), "unsupported"),
        ("archive.docx", b"PK\x03\x04" + random.Random(200).randbytes(200), "unsupported"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 600, "encrypted"),
    ],
)  # fmt: skip
def test_bad_files_give_a_clear_error(name: str, content: bytes, code: str) -> None:
    with pytest.raises(ReadError) as info:
        read_bytes(content, name)
    assert info.value.code == code
    assert info.value.message


def test_enormous_files_are_refused_by_the_configurable_limit(settings) -> None:
    settings.INGEST_MAX_BYTES = 1000
    with pytest.raises(ReadError) as info:
        read_bytes(WORKPLAN.encode(), "plan.txt")
    assert info.value.code == "too_large"
