"""Ingestion writes (rule 1): stage a file for confirmation, import it, confirm a staged file.

Documents are created only through gongkai.documents.services; an ImportRecord keyed by the file's
sha256 and the organisation makes every import idempotent. Files uploaded on the web are queued and
read in a Celery task (`extract_upload`), never in the web request: a hostile file costs a worker a
second or two, not a web process. Bad files raise ValidationError({"file": …}) and store nothing, or
(once queued) leave a record marked failed with the reader's message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from gongkai.accounts import selectors as accounts_selectors
from gongkai.accounts import services as accounts_services
from gongkai.accounts.constants import OrganisationKind, Role
from gongkai.accounts.models import Organisation
from gongkai.accounts.permissions import require_role
from gongkai.core.files import display_name, storage_name
from gongkai.core.services import record_event
from gongkai.core.tasks import run_task
from gongkai.documents import selectors as document_selectors
from gongkai.documents import services as documents
from gongkai.documents.constants import DocType, RelationType
from gongkai.documents.interpretation_sync import set_interpretation_requirement
from gongkai.documents.tagging import missing_policy_tags, tag_document
from gongkai.text.docno import DocNumberError, doc_number_variants, parse_doc_number
from gongkai.text.readers import ReadError, max_bytes, read_bytes, refuse_early

from .extract import Extractor
from .models import ImportRecord, ImportStatus
from .orgs import OrgDirectory

if TYPE_CHECKING:
    from gongkai.documents.models import Document


# Kept on each imported policy and listed by the 应解读、尽解读 report, so the gap stays visible.
IMPORT_WAIVER = "批量导入的既有文件，已由原渠道发布；政策解读可作为动态解读补充。"


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def extract_bytes(content: bytes, filename: str, directory: OrgDirectory | None = None) -> dict:
    """Read and extract one file; the JSON shape of `gongkai extract` (raises ReadError)."""
    read = read_bytes(content, filename)
    extraction = Extractor(directory).extract(read.text)
    data = extraction.as_dict()
    data.update(format=read.format, encoding=read.encoding or None, pages=read.pages, warnings=read.warnings,
                chars=len(read.text), sha256=sha256_of(content))  # fmt: skip
    data["text"] = read.text
    return data


def _number_forms(number: str) -> list[str]:
    try:
        return doc_number_variants(parse_doc_number(number))
    except DocNumberError:
        return [number]


def match_relations(data: dict, candidates: QuerySet[Document] | None = None) -> None:
    """Point relation candidates at documents already in the library (by 文号, then exact title)."""
    candidates = document_selectors.all_documents() if candidates is None else candidates
    for relation in data.get("relations", []):
        target = None
        if relation.get("target_doc_number"):
            target = candidates.filter(doc_number__in=_number_forms(relation["target_doc_number"]))
            target = target.order_by("id").first()
        if target is None and relation.get("target_title"):
            target = candidates.filter(title=relation["target_title"]).order_by("id").first()
        relation["target_id"] = target.pk if target else None


def resolve_organisation(data: dict) -> Organisation | None:
    for issuer in data.get("issuers", []):
        if issuer.get("organisation"):
            organisation = accounts_selectors.organisation_by_code(issuer["organisation"])
            if organisation:
                return organisation
    return None


def _free_code(code: str) -> str:
    candidate, number = code, 1
    while accounts_selectors.organisation_by_code(candidate) is not None:
        number += 1
        candidate = f"{code}-{number}"
    return candidate


def create_recognised_issuer(data: dict, *, actor: Any) -> Organisation | None:
    """The first 发文机关 the built-in code table knows (by name or 机关代字), created if it is missing."""
    builtin = OrgDirectory.builtin()
    for issuer in data.get("issuers", []):
        entry = builtin.by_name(issuer.get("canonical_name") or issuer.get("name") or "")
        if entry is None or not entry.suggested_code:
            continue
        existing = accounts_selectors.organisation_by_name(entry.name)
        if existing is not None:
            return existing
        parent = accounts_selectors.organisation_by_name(entry.parent_name) if entry.parent_name else None
        return accounts_services.create_organisation(
            actor=actor, code=_free_code(entry.suggested_code), name=entry.name, short_name=entry.short_name,
            organ_code=entry.codes[0] if entry.codes else "", extra_organ_codes=",".join(entry.codes[1:]),
            kind=entry.kind or OrganisationKind.OTHER, parent=parent,
        )  # fmt: skip
    return None


def paragraphs_html(text: str) -> str:
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def fields_from_extraction(data: dict) -> dict[str, Any]:
    """create_document keyword fields for the main document (the notice when it wraps another)."""
    text = data.get("text", "")
    issued = data.get("issued_documents") or []
    own_text = text[: issued[0]["start"]] if issued else text
    number = data.get("doc_number_normalized") or ""
    if number:
        try:
            number = parse_doc_number(number).normalized
        except DocNumberError:
            number = ""
    return {
        "title": data.get("title") or "",
        "doc_number": number,
        "doc_type": data.get("doc_type") or DocType.OTHER,
        "written_date": data.get("written_date"),
        "effective_date": data.get("effective_date"),
        "expiry_date": data.get("expiry_date"),
        "body_text": own_text.strip(),
        "body_html": paragraphs_html(own_text),
    }


def _file_error(filename: str, message: str) -> ValidationError:
    return ValidationError(
        {"file": _("文件“%(name)s”：%(message)s") % {"name": filename, "message": message}}
    )


def stage_file(*, actor: Any, organisation: Organisation, filename: str, content: bytes) -> ImportRecord:
    """Read and extract a file into a pending ImportRecord (the same content twice gives the same record)."""
    require_role(actor, Role.EDITOR, organisation.pk, _("导入公文"))
    with transaction.atomic(durable=True):
        return _stage(actor=actor, organisation=organisation, filename=filename, content=content)


def _stage(*, actor: Any, organisation: Organisation, filename: str, content: bytes) -> ImportRecord:
    """The write of `stage_file`, in the caller's transaction (`import_file` stages inside its own)."""
    digest = sha256_of(content)
    existing = ImportRecord.objects.filter(organisation=organisation, sha256=digest).first()
    if existing is not None and existing.status in (ImportStatus.PENDING, ImportStatus.IMPORTED):
        return existing
    try:
        data = extract_bytes(content, filename, OrgDirectory.from_database())
    except ReadError as exc:
        raise _file_error(filename, exc.message) from None
    text = data.pop("text")
    record = existing or ImportRecord(sha256=digest, organisation=organisation)
    record.filename, record.size, record.status, record.error = (
        filename[:300],
        len(content),
        ImportStatus.PENDING,
        "",
    )
    record.file_format, record.text, record.extraction = data["format"], text, data
    record.created_by = record.created_by or (actor if getattr(actor, "pk", None) else None)
    record.save()
    record_event("ingest.staged", actor=actor, target=record, organisation=organisation,
                 data={"filename": record.filename, "sha256": digest, "format": record.file_format})  # fmt: skip
    return record


def _file_digest(upload: File) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def queue_upload(*, actor: Any, organisation: Organisation, upload: File) -> tuple[ImportRecord, bool]:
    """Store an uploaded file and queue its extraction; returns (record, queued).

    The same content uploaded again by the same organisation returns its record (queued False);
    another organisation gets a record of its own and learns nothing of the first. Formats that
    are plainly not supported (by their first bytes) are refused here, with nothing stored.
    """
    require_role(actor, Role.EDITOR, organisation.pk, _("导入公文"))
    filename = display_name(upload.name or "")
    if upload.size > max_bytes():
        raise _file_error(
            filename, _("文件超过大小上限（%(mb)s MB）。") % {"mb": max_bytes() // (1024 * 1024)}
        )
    upload.seek(0)
    try:
        refuse_early(upload.read(8192), filename)
    except ReadError as exc:
        raise _file_error(filename, exc.message) from None
    digest = _file_digest(upload)
    record = ImportRecord.objects.select_for_update().filter(organisation=organisation, sha256=digest).first()
    if record is not None and record.status != ImportStatus.FAILED:
        return record, False
    record = record or ImportRecord(sha256=digest, organisation=organisation)
    record.filename, record.size, record.status, record.error = (
        filename[:300],
        upload.size,
        ImportStatus.QUEUED,
        "",
    )
    record.created_by = actor if getattr(actor, "pk", None) else None
    record.upload.save(storage_name(filename), upload, save=False)
    record.save()
    record_event("ingest.queued", actor=actor, target=record, organisation=organisation,
                 data={"filename": record.filename, "sha256": digest})  # fmt: skip
    transaction.on_commit(lambda: _schedule_extraction(record.pk))
    return record, True


def _schedule_extraction(record_id: int) -> None:
    from .tasks import extract_upload_task

    run_task(extract_upload_task, record_id)


def extract_upload(record_id: int) -> ImportRecord:
    """Read and extract a queued upload (the work of the Celery task); the record becomes pending
    (ready to confirm) or failed with the reader's message. Runs once per queued record."""
    record = ImportRecord.objects.select_related("organisation", "created_by").get(pk=record_id)
    if record.status != ImportStatus.QUEUED:
        return record
    try:
        with record.upload.open("rb") as handle:
            content = handle.read()
        data = extract_bytes(content, record.filename, OrgDirectory.from_database())
    except (ReadError, OSError) as exc:
        return _finish_extraction(
            record, error=getattr(exc, "message", "") or _("上传的文件已丢失，请重新上传。")
        )
    return _finish_extraction(record, data=data)


@transaction.atomic
def _finish_extraction(record: ImportRecord, *, data: dict | None = None, error: str = "") -> ImportRecord:
    locked = ImportRecord.objects.select_for_update().get(pk=record.pk)
    if locked.status != ImportStatus.QUEUED:
        return locked
    actor = locked.created_by or "系统"
    if data is None:
        locked.status, locked.error = ImportStatus.FAILED, error
        locked.save(update_fields=["status", "error", "updated_at"])
        record_event("ingest.failed", actor=actor, target=locked, organisation=locked.organisation,
                     data={"filename": locked.filename, "sha256": locked.sha256, "error": error})  # fmt: skip
        return locked
    locked.text = data.pop("text")
    locked.status, locked.file_format, locked.extraction = ImportStatus.PENDING, data["format"], data
    locked.save(update_fields=["status", "file_format", "text", "extraction", "updated_at"])
    record_event("ingest.staged", actor=actor, target=locked, organisation=locked.organisation,
                 data={"filename": locked.filename, "sha256": locked.sha256, "format": locked.file_format})  # fmt: skip
    return locked


def mark_extraction_failed(record_id: int, error: str) -> ImportRecord:
    """A task that ran out of time leaves its record failed, not queued forever."""
    return _finish_extraction(ImportRecord.objects.get(pk=record_id), error=error)


def _create_documents(
    record: ImportRecord, *, actor: Any, fields: dict[str, Any], relations: list[dict], check_permission: bool,
    publish: bool = False,
) -> Document:  # fmt: skip
    organisation = record.organisation
    data = {**record.extraction, "text": record.text}
    issuers = []
    for issuer in data.get("issuers", []):
        if issuer.get("organisation") and issuer["organisation"] != organisation.code:
            other = Organisation.objects.filter(code=issuer["organisation"]).first()
            if other:
                issuers.append(other)
    if publish and not fields.get("published_date"):
        fields["published_date"] = data.get("printed_date") or fields.get("written_date")
    main = documents.create_document(actor=actor, organisation=organisation, issuers=issuers,
                                     check_permission=check_permission, **fields)  # fmt: skip
    created = [main]
    issued_docs: dict[str, Document] = {}
    for issued in data.get("issued_documents") or []:
        body = record.text[issued["body_start"] : issued["end"]].strip()
        from .extract import doc_type_for_title

        child = documents.create_document(
            actor=actor, organisation=organisation, issuers=issuers, title=issued["title"],
            doc_type=doc_type_for_title(issued["title"])[0], written_date=fields.get("written_date"),
            published_date=fields.get("published_date"), body_text=body, body_html=paragraphs_html(body),
            check_permission=check_permission,
        )  # fmt: skip
        issued_docs[issued["title"]] = child
        created.append(child)
    for relation in relations:
        target = None
        if (
            relation["type"] in (RelationType.ISSUES, RelationType.FORWARDS)
            and relation.get("target_title") in issued_docs
        ):
            target = issued_docs[relation["target_title"]]
        elif relation.get("target_id"):
            target = document_selectors.all_documents().filter(pk=relation["target_id"]).first()
        documents.add_relation(main, actor=actor, relation_type=relation["type"], target=target,
                               target_title=relation.get("target_title", ""),
                               target_doc_number=relation.get("target_doc_number", ""),
                               check_permission=check_permission)  # fmt: skip
    if publish:
        for document in created:
            if missing_policy_tags(document):
                # A batch import of existing policies takes the tags the catalogue suggests (audited as
                # such); a policy the suggester cannot place still fails with the missing dimensions.
                tag_document(document, actor=actor, use_suggestions=True, check_permission=check_permission)
            if document.needs_interpretation:  # 三同步 cannot reach back to a document issued before
                document = set_interpretation_requirement(document, actor=actor, required=False, reason=IMPORT_WAIVER,
                                                          check_permission=check_permission)  # fmt: skip
            document = documents.submit_for_review(document, actor=actor)
            documents.publish_document(document, actor=actor)
        main.refresh_from_db()
    record.document = main
    record.status = ImportStatus.IMPORTED
    record.imported_at = timezone.now()
    record.save(update_fields=["document", "status", "imported_at", "updated_at"])
    record_event("ingest.imported", actor=actor, target=record, organisation=organisation,
                 data={"document_id": main.pk, "documents": [d.pk for d in created], "published": publish})  # fmt: skip
    return main


@transaction.atomic(durable=True)
def confirm_record(
    record: ImportRecord, *, actor: Any, fields: dict[str, Any], relations: list[dict]
) -> Document:
    """Save a staged file as a draft with the fields staff checked (and the relations they kept)."""
    require_role(actor, Role.EDITOR, record.organisation_id, _("导入公文"))
    locked = ImportRecord.objects.select_for_update().get(pk=record.pk)
    if locked.status == ImportStatus.IMPORTED and locked.document_id:
        raise ValidationError({"file": _("该文件已导入为公文“%(title)s”。") % {"title": locked.document}})
    return _create_documents(locked, actor=actor, fields=fields, relations=relations, check_permission=True)


def import_file(
    *, actor: Any, filename: str, content: bytes, organisation: Organisation | None = None, publish: bool = False,
    create_organisations: bool = False,
) -> tuple[ImportRecord, bool]:  # fmt: skip
    """Batch import (CLI): returns (record, created); the same content again returns (record, False).

    Without `organisation`, the file's 发文机关 decides; with `create_organisations`, one the built-in
    table recognises is created when missing (rolled back with the file if the import fails).
    """
    digest = sha256_of(content)
    imported = ImportRecord.objects.filter(sha256=digest, status=ImportStatus.IMPORTED)
    if organisation is not None:
        imported = imported.filter(organisation=organisation)
    existing = imported.first()
    if existing is not None:
        return existing, False
    with transaction.atomic(durable=True):
        if organisation is None:
            try:
                data = extract_bytes(content, filename, OrgDirectory.from_database())
            except ReadError as exc:
                raise _file_error(filename, exc.message) from None
            organisation = resolve_organisation(data)
            if organisation is None and create_organisations:
                organisation = create_recognised_issuer(data, actor=actor)
            if organisation is None:
                raise _file_error(filename, _no_organisation_message(data, create_organisations))
        record = _stage(actor=actor, organisation=organisation, filename=filename, content=content)
        data = {**record.extraction, "text": record.text}
        match_relations(data)
        fields = fields_from_extraction(data)
        if not fields["title"]:  # no title found: the file name stands in until staff edit it
            fields["title"] = PurePath(filename).stem[:300] or filename
        _create_documents(record, actor=actor, fields=fields, relations=data.get("relations", []),
                          check_permission=False, publish=publish)  # fmt: skip
    return record, True


def _no_organisation_message(data: dict, create_organisations: bool) -> str:
    names = "、".join(
        dict.fromkeys(i.get("canonical_name") or i.get("name") for i in data.get("issuers", []))
    )
    if not names:
        return _("无法从文件中确定发文机构，请用 --organisation 指定。")
    if create_organisations:
        return _("发文机关“%(names)s”不是已有机构，也不在内置机关代字表中：请先用 gongkai organisations import "
                 "导入，或用 --organisation 指定。") % {"names": names}  # fmt: skip
    return _("发文机关“%(names)s”不是已有机构：请先用 gongkai organisations import 导入，或加 "
             "--create-organisations 自动新建可识别的机构，或用 --organisation 指定。") % {"names": names}  # fmt: skip


def parse_iso(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
