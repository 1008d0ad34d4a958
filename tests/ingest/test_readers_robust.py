"""Hostile and broken files: every reader refuses them with a ReadError, fast, and batches go on.

The seeded corpus is bench/fuzz_corpus.py (the bench runs 2,000 of these with time and memory
figures); here 200 of them, without the largest bombs, plus hypothesis over each format's prefix.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.text.readers import ReadError, read_bytes
from paths import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import fuzz_corpus


def _read_or_refuse(name: str, data: bytes) -> ReadError | None:
    """None when the file was read; the ReadError when it was refused. Anything else fails the test."""
    try:
        read_bytes(data, name)
    except ReadError as exc:
        assert exc.message
        escaped = getattr(exc, "unexpected", "")
        assert not escaped, f"{name}: a reader let {escaped} escape ({exc.message})"
        return exc
    return None


def test_two_hundred_malformed_files_of_every_type_give_only_read_errors() -> None:
    kinds = set()
    for kind, name, data in fuzz_corpus.corpus(200, seed=5, heavy=False):
        kinds.add(kind.split(":")[0])
        _read_or_refuse(name, data)
    assert {"docx", "ofd", "pdf", "html"} <= kinds


PREFIXES = {
    "a.pdf": b"%PDF-1.7\n",
    "a.docx": fuzz_corpus.seed_docx()[:400],
    "a.ofd": fuzz_corpus.seed_ofd()[:300],
    "a.html": b"<html><head><meta charset='gbk'></head><body><p>",
    "a.txt": "关于印发".encode("gb18030"),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(PREFIXES)), tail=st.binary(max_size=3000), cut=st.integers(0, 400))
def test_random_bytes_behind_each_format_signature_give_only_read_errors(
    name: str, tail: bytes, cut: int
) -> None:
    _read_or_refuse(name, PREFIXES[name][: max(cut, 8)] + tail)


# --- the findings of issue 11, one by one ---------------------------------------------------------


def test_docx_of_1_75_million_empty_paragraphs_is_refused_by_the_element_limit() -> None:
    bomb = fuzz_corpus.docx_element_bomb(1_750_000)
    assert len(bomb) < 64 * 1024  # the 16 KB file of the report
    error = _read_or_refuse("bomb.docx", bomb)
    assert error is not None and error.code == "too_complex"
    assert "XML 元素数" in error.message


def test_docx_zip_bomb_stops_at_the_decompression_limit(monkeypatch) -> None:
    from gongkai.text import errors

    monkeypatch.setattr(errors, "MAX_UNZIPPED_BYTES", 8 * 1024 * 1024)
    error = _read_or_refuse("bomb.docx", fuzz_corpus.zip_bomb("docx", 20))
    assert error is not None and error.code == "too_large"
    assert "压缩炸弹" in error.message


def test_ofd_whose_pages_all_point_at_one_content_file_is_refused_by_the_page_limit() -> None:
    error = _read_or_refuse("bomb.ofd", fuzz_corpus.ofd_page_bomb(100_000))
    assert error is not None and error.code == "too_complex"
    assert "页数" in error.message


def test_ofd_pages_sharing_a_content_file_are_still_read() -> None:
    result = read_bytes(fuzz_corpus.ofd_page_bomb(300), "shared.ofd")
    assert result.pages == 300
    assert result.text.count("政务公开") >= 300


def test_deep_nesting_and_entity_expansion_are_refused() -> None:
    for data in (fuzz_corpus.docx_deep_nesting(100_000), fuzz_corpus.docx_entity_bomb()):
        error = _read_or_refuse("deep.docx", data)
        assert error is None or error.code in {"corrupt", "empty", "too_complex"}


@pytest.mark.parametrize("version_or_method", ["version", "method"])
def test_zip_with_an_unsupported_version_or_compression_is_a_read_error(version_or_method: str) -> None:
    import random

    patch = fuzz_corpus.zip_version if version_or_method == "version" else fuzz_corpus.zip_method
    for seed in (fuzz_corpus.seed_docx(), fuzz_corpus.seed_ofd()):
        data = patch(random.Random(3), seed)
        error = _read_or_refuse("a.docx", data)
        assert error is not None and error.code in {"unsupported", "corrupt"}


def test_ofd_with_a_corrupt_deflate_stream_is_a_read_error() -> None:
    members = fuzz_corpus.ofd_members(["第一行正文内容"])
    data = bytearray(fuzz_corpus.build_zip(members))
    start = data.find(b"Content.xml") + len("Content.xml")
    data[start : start + 24] = b"\xff" * 24
    error = _read_or_refuse("a.ofd", bytes(data))
    assert error is not None and error.code == "corrupt"


def test_ofd_with_impossible_coordinates_is_read() -> None:
    import random

    for seed in range(8):
        _read_or_refuse("a.ofd", fuzz_corpus.ofd_bad_numbers(random.Random(seed)))


def test_html_declaring_punycode_is_read_with_a_real_charset() -> None:
    text = "<p>Work plan 2023 - open government notice</p>" * 2000
    data = f"<html><head><meta charset='punycode'></head><body>{text}</body></html>".encode()
    result = read_bytes(data, "page.html")
    assert result.encoding == "utf-8"
    assert "open government notice" in result.text


def test_pdf_whose_page_tree_loops_is_a_read_error() -> None:
    error = _read_or_refuse("loop.pdf", fuzz_corpus.pdf_page_loop())
    assert error is not None


def test_docx_text_follows_paragraphs_runs_and_tables() -> None:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("第一段")
    paragraph.add_run("\t续写")
    paragraph.add_run().add_break()
    paragraph.add_run("换行后")
    table = document.add_table(rows=2, cols=3)
    table.rows[0].cells[0].merge(table.rows[0].cells[1]).text = "合并"
    table.rows[0].cells[2].text = "右侧"
    table.rows[1].cells[0].text = "二行"
    document.add_paragraph("末段")
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_bytes(buffer.getvalue(), "a.docx").text == "第一段\t续写\n换行后\n合并  右侧\n二行\n末段"


# --- batches: one bad file never ends them ---------------------------------------------------------


@pytest.fixture
def batch(tmp_path: Path) -> list[str]:
    import random

    good = tmp_path / "good.txt"
    good.write_text(
        "静府办发〔2023〕5号\n关于印发工作要点的通知\n上海市静安区人民政府办公室\n2023年4月23日",
        encoding="utf-8",
    )
    versioned = tmp_path / "versioned.docx"
    versioned.write_bytes(fuzz_corpus.zip_version(random.Random(1), fuzz_corpus.seed_docx()))
    method = tmp_path / "method.ofd"
    method.write_bytes(fuzz_corpus.zip_method(random.Random(2), fuzz_corpus.seed_ofd()))
    last = tmp_path / "last.txt"
    last.write_text("申请人张伟的联系电话为13912345678。", encoding="utf-8")
    return [str(good), str(versioned), str(method), str(last)]


def test_extract_reports_every_file_and_exits_non_zero_when_one_failed(db, batch, capsys) -> None:
    with pytest.raises(CommandError):
        call_command("extract", *batch, "--json")
    results = json.loads(capsys.readouterr().out)
    assert [result["file"] for result in results] == batch
    assert [bool(result["error"]) for result in results] == [False, True, True, False]
    assert results[1]["error"]["code"] == "unsupported"


def test_review_scan_reports_every_file_and_exits_non_zero_when_one_failed(batch, capsys) -> None:
    with pytest.raises(CommandError):
        call_command("review", "scan", *batch, "--json")
    results = json.loads(capsys.readouterr().out)
    assert [result["file"] for result in results] == batch
    assert [bool(result.get("error")) for result in results] == [False, True, True, False]
    assert {f["kind"] for f in results[3]["findings"]} >= {"mobile"}


def test_a_batch_of_good_files_exits_zero(db, batch, capsys) -> None:
    call_command("extract", batch[0], batch[3], "--json")
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_member_count_is_limited(monkeypatch) -> None:
    from gongkai.text import errors

    monkeypatch.setattr(errors, "MAX_ZIP_MEMBERS", 50)
    members = {**fuzz_corpus.ofd_members(["正文"]), **{f"junk/{i}.xml": b"<a/>" for i in range(60)}}
    error = _read_or_refuse("many.ofd", fuzz_corpus.build_zip(members))
    assert error is not None and error.code == "too_complex"
    assert zipfile.is_zipfile(io.BytesIO(fuzz_corpus.build_zip(members)))
