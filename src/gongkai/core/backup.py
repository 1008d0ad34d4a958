"""Backup and restore of a whole installation: the database, the uploaded files, and (after a
restore) the search index rebuilt from the restored documents.

A backup is one `.tar.gz`: `manifest.json` (format, time, database vendor, row counts, a sha256 of
every member), `data.json` (every table in Django's serialisation with natural keys, so it loads
into an empty SQLite or PostgreSQL database of the same schema) and `media/…` (the uploaded
files). Derived data is left out and rebuilt: content types and permissions come from migrate,
the search index is rebuilt by the search app when it receives `backup_restored`. Sessions are
left out: a restored installation starts with everyone logged out.

Restoring replaces everything in one transaction: the archive is checked completely (format,
schema, checksums) before a single row is touched, so a damaged file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .services import record_event
from .signals import backup_restored

FORMAT = "gongkai-backup/1"
# Rebuilt from migrations or from other rows, never restored from a file. The documents' data
# version is a change token kept by database triggers: a restore changes the data, so it must change
# the token (the triggers do) rather than bring back the one in the file.
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session", "search.searchentry",
                   "documents.dataversion"}  # fmt: skip
KEPT_TABLES = {"django_content_type", "auth_permission", "django_migrations", "documents_dataversion"}


@dataclass
class BackupSummary:
    path: str
    created_at: str
    database: str
    rows: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    bytes: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "created_at": self.created_at,
            "database": self.database,
            "rows": self.rows,
            "rows_total": sum(self.rows.values()),
            "media_files": self.media_files,
            "bytes": self.bytes,
        }


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; the audit chain hashes them to the microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _backed_up_models() -> list[Any]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED_MODELS and model._meta.managed and not model._meta.proxy
    ]


def _schema() -> list[str]:
    """The applied migrations: a backup loads only into the schema it was taken from."""
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_backup(
    output: Path, *, actor: Any = None, progress: Callable[[str], None] | None = None
) -> BackupSummary:
    """Write a backup of the database and the uploaded files to `output` (a .tar.gz)."""
    say = progress or (lambda _message: None)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    summary = BackupSummary(
        path=str(output), created_at=timezone.now().isoformat(), database=connection.vendor
    )
    with tempfile.TemporaryDirectory(prefix="gongkai-backup-") as tmp:
        data_path = Path(tmp) / "data.json"
        models = _backed_up_models()
        # One read transaction, so the rows are a consistent snapshot of one moment.
        with transaction.atomic(), data_path.open("w", encoding="utf-8") as handle:
            say("导出数据库…")
            for model in models:
                summary.rows[model._meta.label_lower] = model._base_manager.count()
            serializers.serialize(
                "json",
                _iterate(models),
                stream=handle,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=False,
                cls=ExactJSONEncoder,
            )
        media = _media_files()
        summary.media_files = len(media)
        root = Path(settings.MEDIA_ROOT)
        checksums = {"data.json": _sha256(data_path)}
        checksums.update({f"media/{path.relative_to(root).as_posix()}": _sha256(path) for path in media})
        manifest = {
            "format": FORMAT,
            "created_at": summary.created_at,
            "database": summary.database,
            "schema": _schema(),
            "rows": summary.rows,
            "checksums": checksums,
        }
        partial = output.with_name(output.name + ".part")
        say(f"写入归档（{len(media)} 个附件文件）…")
        with tarfile.open(partial, "w:gz") as archive:
            raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
            archive.add(data_path, arcname="data.json")
            for path in media:
                archive.add(path, arcname=f"media/{path.relative_to(root).as_posix()}")
        partial.replace(output)  # a crash mid-write never leaves a truncated backup under the final name
    summary.bytes = output.stat().st_size
    with transaction.atomic():
        record_event("core.backup_created", actor=actor, data=summary.as_dict())
    return summary


def _iterate(models: list[Any]) -> Any:
    for model in models:
        yield from model._base_manager.order_by("pk").iterator(chunk_size=2000)


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _read_archive(path: Path, workdir: Path) -> dict[str, Any]:
    """Unpack and check the whole archive; raise ValidationError({"file": …}) on any fault."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = archive.getmembers()
            for member in members:
                if not _safe_member(member.name) or not (member.isfile() or member.isdir()):
                    raise ValidationError({"file": f"备份文件含有不安全的条目：{member.name}"})
            archive.extractall(workdir, members=members, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ValidationError({"file": f"无法读取备份文件（{exc}）。"}) from None
    try:
        manifest = json.loads((workdir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ValidationError({"file": "备份文件缺少有效的 manifest.json。"}) from None
    if manifest.get("format") != FORMAT:
        raise ValidationError({"file": f"不支持的备份格式：{manifest.get('format')!r}。"})
    missing = sorted(set(manifest.get("schema", [])) ^ set(_schema()))
    if missing:
        raise ValidationError(
            {
                "file": f"备份与当前数据库结构不一致（迁移 {', '.join(missing[:5])} 等），请先运行 gongkai migrate。"
            }
        )
    for name, digest in manifest.get("checksums", {}).items():
        member = workdir / name
        if not _safe_member(name) or not member.is_file() or _sha256(member) != digest:
            raise ValidationError({"file": f"备份文件已损坏：{name} 校验失败。"})
    return manifest


def _clear_database() -> None:
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in KEPT_TABLES
    ]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks still pending in this
            # transaction; run them now, and defer again for loaddata's out-of-order rows.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _replace_media(source: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    count = 0
    if source.is_dir():
        for path in source.rglob("*"):
            if path.is_file():
                target = root / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                count += 1
    return count


def restore_backup(
    archive: Path, *, actor: Any = None, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Replace the database and the uploaded files with a backup's; then rebuild derived data."""
    say = progress or (lambda _message: None)
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-") as tmp:
        workdir = Path(tmp)
        say("校验备份文件…")
        manifest = _read_archive(Path(archive), workdir)
        with transaction.atomic():
            say("清空并载入数据库…")
            _clear_database()
            call_command("loaddata", str(workdir / "data.json"), verbosity=0)
            record_event(
                "core.backup_restored",
                actor=actor,
                data={"backup_created_at": manifest["created_at"], "rows": sum(manifest["rows"].values())},
            )
        say("恢复附件文件…")
        media_files = _replace_media(workdir / "media")
    say("重建派生数据（检索索引）…")
    backup_restored.send(sender=restore_backup)
    return {
        "backup_created_at": manifest["created_at"],
        "database": connection.vendor,
        "backup_database": manifest["database"],
        "rows": manifest["rows"],
        "rows_total": sum(manifest["rows"].values()),
        "media_files": media_files,
    }
