"""`gongkai backup` / `gongkai restore` round-trip a demo installation exactly (issue 11, Backups).

Runs on SQLite and, in the PostgreSQL pass of `make test`, on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from demo_helpers import demo_database
from gongkai.core.backup import _backed_up_models
from gongkai.core.models import Event
from gongkai.core.services import verify_chain
from gongkai.documents.models import Document
from gongkai.search.selectors import search

# Transactional: the demo is committed (and indexed on commit), as in a real installation, and a test
# process loads it once (demo_helpers).
pytestmark = pytest.mark.django_db(transaction=True)


def _rows() -> list[dict]:
    """Every backed-up row as serialised data, in a stable order."""
    rows = []
    for model in _backed_up_models():
        queryset = model._base_manager.order_by("pk")
        rows.extend(serializers.serialize("python", queryset, use_natural_foreign_keys=True))
    return rows


def _media(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def _hits(word: str) -> list[int]:
    return [result.document.pk for result in search(word, limit=50, with_facets=False).results]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def demo(media_root):
    demo_database()
    document = Document.objects.published().order_by("pk").first()
    (media_root / "attachments" / "2026").mkdir(parents=True)
    (media_root / "attachments" / "2026" / "附件一：申请表.docx").write_bytes(b"PK\x03\x04 demo attachment")
    return document


def test_backup_and_restore_round_trip_exactly(demo, media_root, tmp_path, capsys):
    before_rows, before_media = _rows(), _media(media_root)
    before_last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before_hits = {word: _hits(word) for word in ("政务公开", "养老")}
    assert before_hits["政务公开"], "the demo must have searchable documents"

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["media_files"] == len(before_media) >= 1
    assert summary["rows"]["documents.document"] == Document.objects.count()

    # Everything changes after the backup: a document withdrawn, a file lost, the index emptied.
    Document.objects.filter(pk=demo.pk).update(title="被改动的标题")
    for path in media_root.rglob("*.docx"):
        path.unlink()
    call_command("restore", str(archive), "--yes", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["rows_total"] == sum(summary["rows"].values())

    after_rows = [
        row for row in _rows() if not (row["model"] == "core.event" and row["pk"] > before_last_event)
    ]
    assert after_rows == before_rows
    assert _media(media_root) == before_media
    assert {word: _hits(word) for word in before_hits} == before_hits
    report = verify_chain()
    assert report.ok, report.reason
    assert Event.objects.filter(verb="core.backup_restored").count() == 1


def test_a_damaged_backup_changes_nothing(demo, media_root, tmp_path, capsys):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "data.json":
                data = data.replace("政务公开".encode(), "政务公关".encode(), 1)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    before_rows = _rows()
    with pytest.raises(CommandError, match=r"data\.json 校验失败"):
        call_command("restore", str(damaged), "--yes")
    assert _rows() == before_rows
    with pytest.raises(CommandError, match="无法读取备份文件"):
        (tmp_path / "not-a-backup.tar.gz").write_bytes(b"not a tar file")
        call_command("restore", str(tmp_path / "not-a-backup.tar.gz"), "--yes")
    assert _rows() == before_rows
