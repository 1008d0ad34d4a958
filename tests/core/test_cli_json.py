"""The command line's conventions (issues 11 and 12): one JSON document per --json, bytes in, `-word` queries."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from paths import FIXTURES

WORKPLAN = str(FIXTURES / "ingest" / "workplan.txt")
REPORT_PDF = str(FIXTURES / "reports" / "hongze_district_2023_zfxxgk_annual_report.pdf")


def _json_of(*args: str) -> object:
    """Run a command; whatever its exit status, standard output must be exactly one JSON document."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except (CommandError, SystemExit):
        pass  # a failed input still gets its JSON document; the exit status carries the failure
    return json.loads(out.getvalue())


# (arguments, expected shape): a list with one object per input for commands taking several, else an object
COMMANDS = [
    (["docno", "normalize", "国发[2019]5号", "不是文号", "--json"], ("list", 2)),
    (["extract", WORKPLAN, "/nonexistent.txt", "--json"], ("list", 2)),
    (["review", "scan", WORKPLAN, "/nonexistent.txt", "--json"], ("list", 2)),
    (["report", "check", REPORT_PDF, "--json"], ("list", 1)),
    (["import", WORKPLAN, "/nonexistent.txt", "--organisation", "jingan-gov-office", "--json"], ("list", 2)),
    (["organisations", "list", "--json"], ("list", None)),
    (["search", "政务公开", "--json"], ("object", None)),
    (["reindex", "--json"], ("object", None)),
    (["deadline", "--from", "2025-09-28", "--working-days", "20", "--json"], ("object", None)),
    (["audit", "verify", "--json"], ("object", None)),
    (
        ["report", "annual", "--year", "2025", "--organisation", "jingan-gov-office", "--json"],
        ("object", None),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "shape"), COMMANDS, ids=[" ".join(a[:2]) for a, _s in COMMANDS])
def test_every_json_output_is_one_document(office, args, shape) -> None:
    document = _json_of(*args)
    kind, count = shape
    assert isinstance(document, list if kind == "list" else dict)
    if count is not None:
        assert len(document) == count


def test_review_scan_json_is_a_list_not_json_lines(tmp_path) -> None:
    one, two = tmp_path / "a.txt", tmp_path / "b.txt"
    one.write_text("申请人张伟，手机13912345678", encoding="utf-8")
    two.write_text("无个人信息", encoding="utf-8")
    out = io.StringIO()
    call_command("review", "scan", str(one), str(two), "--json", stdout=out)
    assert [item["file"] for item in json.loads(out.getvalue())] == [str(one), str(two)]


def _cli(*args: str, stdin: bytes = b"", tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GONGKAI_DATA_DIR=str(tmp_path / "var"), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], input=stdin, env=env,
                          capture_output=True, timeout=120)  # fmt: skip


def test_docno_normalize_reads_invalid_utf8_as_an_error_line(tmp_path) -> None:
    stdin = "国办发[2019]5号\n".encode() + b"\xff\xfe\xe5\x9b\xbd\n" + "海关总署2016年第8号\n".encode()
    run = _cli("docno", "normalize", "--json", stdin=stdin, tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    rows = json.loads(run.stdout.decode("utf-8"))  # strict: the output is valid UTF-8
    assert [row["normalized"] for row in rows] == ["国办发〔2019〕5号", None, "海关总署2016年第8号"]
    assert rows[1]["error"] == "第2行不是有效的 UTF-8 文本" and rows[1]["input"] == "\ufffd\ufffd国"
    assert rows[2]["kind"] == "announcement" and rows[2]["organ_code"] == "海关总署"


def test_docno_normalize_reports_undecodable_arguments(tmp_path) -> None:
    run = _cli("docno", "normalize", os.fsdecode(b"\xff\xfe"), "--json", tmp_path=tmp_path)
    assert run.returncode == 0
    assert json.loads(run.stdout.decode("utf-8"))[0]["error"] == "第1个参数不是有效的 UTF-8 文本"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "query"),
    [(["-政务"], "-政务"), (["--", "-政务"], "-政务"), (["托育", "-补贴"], "托育 -补贴"),
     (["--limit", "3", "-补贴", "托育"], "-补贴 托育"), (['-"政务 公开"', "通知"], '-"政务 公开" 通知')],
)  # fmt: skip
def test_search_takes_excluded_words_as_query_words(args, query) -> None:
    result = _json_of("search", "--json", *args)  # after `--` every word is the query
    assert result["query"] == query
