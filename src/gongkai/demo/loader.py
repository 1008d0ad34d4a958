"""Load the demo: organisations, staff accounts and real documents shipped in demo/content/.

Idempotent: running it twice changes nothing the second time. Documents go through the same
services as staff input (drafted by the demo editor, published by the demo reviewer).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction

from gongkai.accounts.models import Organisation, User
from gongkai.documents import services
from gongkai.documents.models import Document
from gongkai.ingest.services import paragraphs_html

from . import interpretation_demo

HERE = Path(__file__).resolve().parent
CONTENT = HERE / "content"
DEMO_PASSWORD = "gongkai-demo-2026"


def load_organisations() -> dict[str, Organisation]:
    data = json.loads((HERE / "organisations.json").read_text())
    by_code: dict[str, Organisation] = {}
    for row in data["organisations"]:
        row = dict(row)
        parent = row.pop("parent", None)
        # the district's own organisations handle 依申请公开 here; national bodies named in documents do not
        row.setdefault("accepts_requests", row["code"].startswith("jingan"))
        organisation, _ = Organisation.objects.update_or_create(
            code=row.pop("code"), defaults={**row, "parent": by_code.get(parent) if parent else None}
        )
        by_code[organisation.code] = organisation
    return by_code


def load_staff(organisations: dict[str, Organisation]) -> dict[str, User]:
    data = json.loads((HERE / "organisations.json").read_text())
    users: dict[str, User] = {}
    for row in data["staff"]:
        user, created = User.objects.get_or_create(
            username=row["username"],
            defaults={
                "display_name": row["display_name"],
                "organisation": organisations[row["organisation"]],
                "is_staff": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = row.get("superuser", False)
            user.save()
        user.groups.add(*Group.objects.filter(name__in=row["roles"]))
        users[user.username] = user
    return users


def load_documents(
    users: dict[str, User], organisations: dict[str, Organisation], progress: Callable[[str], None] = print
) -> int:
    """Create and publish every manifest entry not yet in the library; returns how many were created."""
    manifest = json.loads((CONTENT / "manifest.json").read_text())
    editor, reviewer = users["editor"], users["reviewer"]
    created: dict[str, Document] = {}
    count = 0
    for entry in manifest:
        text = (CONTENT / entry["file"]).read_text()
        existing = Document.objects.filter(
            title=entry["title"], doc_number=entry.get("doc_number", "")
        ).first()
        if existing:
            created[entry.get("key", entry["file"])] = existing
            continue
        orgs = [organisations[code] for code in entry["organisations"]]
        with transaction.atomic():
            document = services.create_document(
                actor=editor, organisation=orgs[0], issuers=orgs[1:], title=entry["title"],
                doc_number=entry.get("doc_number", ""), doc_type=entry["doc_type"],
                written_date=entry.get("written_date"), published_date=entry.get("published_date"),
                effective_date=entry.get("effective_date"), theme=entry.get("theme"),
                is_normative=entry.get("is_normative", False), tags=entry.get("tags", []),
                summary=entry.get("summary", ""), body_html=paragraphs_html(text), body_text=text.strip(),
                check_permission=False,
            )  # fmt: skip
            for attachment in entry.get("attachments", []):
                path = CONTENT / attachment["file"]
                services.add_attachment(document, actor=editor, filename=path.name, content=path.read_bytes(),
                                        title=attachment["title"], check_permission=False)  # fmt: skip
            if entry.get("validity_override"):
                document = services.set_validity(
                    document,
                    actor=_platform_admin(),
                    validity=entry["validity_override"],
                    validity_date=entry.get("validity_override_date"),
                )
            # 三同步: a 示例 interpretation goes to review with the document, or the reason why none is kept
            count += interpretation_demo.prepare(document, actor=_acting_editor(document, editor))
            document = services.submit_for_review(document, actor=_acting_editor(document, editor))
            document = services.publish_document(document, actor=_acting_reviewer(document, reviewer))
        created[entry.get("key", entry["file"])] = document
        count += 1
        progress(f"  已发布 {document.index_number} {document.title[:40]}")
    for entry in manifest:
        source = created[entry.get("key", entry["file"])]
        for relation in entry.get("relations", []):
            target = created.get(relation["key"]) if relation.get("key") else None
            if source.outgoing_relations.filter(relation_type=relation["type"], target=target,
                                                target_title=relation.get("title", target.title if target else "")).exists():  # fmt: skip
                continue
            services.add_relation(source, actor=editor, relation_type=relation["type"], target=target,
                                  target_title=relation.get("title", ""), target_doc_number=relation.get("doc_number", ""),
                                  check_permission=False)  # fmt: skip
    interpretation_demo.add_follow_ups(_platform_admin())  # a database loaded before interpretations existed
    return count


def _acting_editor(document: Document, default: User) -> User:
    return default if default.organisation_id == document.organisation_id else _platform_admin()


def _acting_reviewer(document: Document, default: User) -> User:
    return default if default.organisation_id == document.organisation_id else _platform_admin()


def _platform_admin() -> User:
    return User.objects.get(username="admin")


def load_demo(progress: Callable[[str], None] = print) -> dict[str, int]:
    organisations = load_organisations()
    users = load_staff(organisations)
    created = load_documents(users, organisations, progress)
    from .office_demo import load_office, load_office_documents

    # before the 2025 annual report is published: the work plan's 落实情况 go into its text
    created += load_office_documents(organisations, progress)
    from .foi_demo import load_foi_requests

    requests = load_foi_requests(users, organisations, progress)
    from .topics_demo import load_topics

    topics = load_topics(organisations, progress)
    from .participation_demo import load_participation

    load_participation(users, organisations, progress)
    from .push_demo import load_push

    load_push(users, progress)

    from .interaction_demo import load_interaction

    load_interaction(users, progress)

    load_office(organisations, progress)  # the catalogue links topics
    return {"foi_requests_created": requests, "topics_created": topics, "organisations": len(organisations), "staff": len(users), "documents_created": created,
            "documents_total": Document.objects.count()}  # fmt: skip
