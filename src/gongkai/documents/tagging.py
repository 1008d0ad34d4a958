"""Documents and the shared tag catalogue: setting tags, the publication rule, suggestions.

Work plan item 十二: “发文单位在政策出台时，按照标签目录明确政策文件的标签分类” — a policy goes to
review only with at least one 对象 and one 主题 tag. A document's 主题分类 brings its 主题 tag.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.taxonomy.constants import THEME_PREFIX, Dimension
from gongkai.taxonomy.selectors import tags_by_codes, tags_for_suggestion
from gongkai.taxonomy.suggest import Suggestion, suggest

from .constants import POLICY_DOC_TYPES

if TYPE_CHECKING:
    from .models import Document

REQUIRED_POLICY_DIMENSIONS = (Dimension.AUDIENCE, Dimension.THEME)
TRAINING_LIMIT = 2000


def is_policy(document: Document) -> bool:
    return bool(document.is_normative) or document.doc_type in POLICY_DOC_TYPES


def set_tags(document: Document, codes: Iterable[str]) -> None:
    """Replace the document's tags with `codes` (unknown codes: ValidationError, nothing changed)."""
    tags = tags_by_codes(codes)
    document.tags.set(tags)
    add_theme_tag(document)


def add_theme_tag(document: Document) -> None:
    """The 主题 tag of the document's 主题分类, so a themed document always carries it."""
    if document.theme_id is None:
        return
    from gongkai.taxonomy.selectors import all_tags

    tag = all_tags().filter(code=THEME_PREFIX + document.theme.code).first()
    if tag is not None:
        document.tags.add(tag)


def missing_policy_tags(document: Document) -> list[str]:
    """The dimensions a policy still needs a tag in (empty when it may go to review)."""
    if not is_policy(document):
        return []
    present = set(document.tags.values_list("dimension", flat=True))
    return [str(dimension.label) for dimension in REQUIRED_POLICY_DIMENSIONS if dimension not in present]


def check_policy_tags(document: Document) -> None:
    missing = missing_policy_tags(document)
    if missing:
        raise ValidationError(
            {
                "tags": _("政策标签：政策文件提交审核前须按标签目录至少标注一个“对象”标签和一个“主题”标签，"
                          "目前缺少%(missing)s标签。") % {"missing": "、".join(f"“{name}”" for name in missing)}
            }
        )  # fmt: skip


def _training_examples() -> list[tuple[str, set[str]]]:
    """Documents staff tagged, as (text, tag codes): the classifier learns from their choices."""
    from .models import Document

    examples = []
    tagged = Document.objects.filter(tags__isnull=False).distinct().order_by("-id")[:TRAINING_LIMIT]
    for document in tagged.prefetch_related("tags").only("title", "body_text"):
        codes = {tag.code for tag in document.tags.all() if tag.dimension != Dimension.THEME}
        if codes:
            examples.append((f"{document.title}\n{document.body_text[:5000]}", codes))
    return examples


def suggest_tags(title: str, body: str, *, exclude: Iterable[str] = ()) -> list[Suggestion]:
    return suggest(title, body, tags_for_suggestion(), training=_training_examples(), exclude=exclude)


def suggestions_for(document: Document) -> list[dict[str, Any]]:
    existing = list(document.tags.values_list("code", flat=True)) if document.pk else []
    return [s.as_dict() for s in suggest_tags(document.title, document.body_text, exclude=existing)]


def tag_document(
    document: Document,
    *,
    actor: Any,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    use_suggestions: bool = False,
    min_score: float = 0.6,
    check_permission: bool = True,
) -> list[str]:
    """Add or remove tags on any document, published ones included (tags classify a document; they
    are not its published text, so no new review is needed). Returns the codes added.

    Used by the back office's bulk action and by staff accepting suggestions one by one.
    """
    from django.db import transaction

    from gongkai.accounts.constants import Role
    from gongkai.accounts.permissions import require_role
    from gongkai.core.services import record_event

    from . import signals
    from .models import Document

    if check_permission:
        require_role(actor, Role.EDITOR, document.organisation_id, _("标注政策标签"))
    wanted = list(add)
    if use_suggestions:
        wanted += [s.code for s in suggest_tags(document.title, document.body_text) if s.score >= min_score]
    to_add = tags_by_codes(wanted, field="add")
    to_remove = tags_by_codes(remove, field="remove")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        before = set(locked.tags.values_list("code", flat=True))
        locked.tags.add(*to_add)
        locked.tags.remove(*to_remove)
        after = set(locked.tags.values_list("code", flat=True))
        added, removed = sorted(after - before), sorted(before - after)
        if added or removed:
            record_event(
                "document.tagged", actor=actor, target=locked, organisation=locked.organisation,
                data={"added": added, "removed": removed, "from_suggestions": use_suggestions},
            )  # fmt: skip
            if locked.is_public:
                transaction.on_commit(lambda: signals.document_changed.send(sender=Document, document=locked))
    return added
