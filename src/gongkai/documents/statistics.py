"""Yearly figures of the document library, for the annual report's Table 二 (条例 Art. 20 item (一)).

The library owns what counts as issued, repealed and in force; `reports` only lays the numbers out.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.db.models import Case, DateField, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least

from .constants import DocType, RelationType, Validity
from .models import Document, DocumentRelation


class YearCounts(TypedDict):
    issued: int  # 本年制发件数
    repealed: int  # 本年废止件数
    in_force: int  # 现行有效件数


class AnnualDocumentCounts(TypedDict):
    rules: YearCounts  # 规章
    normative: YearCounts  # 行政规范性文件


# "Never ended": a date no year reaches, so one comparison serves documents with and without an end.
NEVER = dt.date(9999, 12, 31)


def _with_end(base: QuerySet[Document]) -> QuerySet[Document]:
    """Annotate `issued_on` and `ended_on`, the first day the document was no longer in force: the
    publication of the first published document repealing it, its expiry, or the date staff gave when
    they marked it 已废止 / 已失效 by hand (NEVER when none applies)."""
    first_repeal = (
        DocumentRelation.objects.filter(
            target_id=OuterRef("pk"), relation_type=RelationType.REPEALS, source__status="published"
        )
        .order_by("source__published_date")
        .values("source__published_date")[:1]
    )
    manual = Case(
        When(
            validity_override__in=[Validity.REPEALED, Validity.EXPIRED],
            then=F("validity_override_date"),
        ),
        default=Value(None, output_field=DateField()),
    )
    never = Value(NEVER, output_field=DateField())
    return base.annotate(
        issued_on=Coalesce("written_date", "published_date"),
        ended_on=Least(
            Coalesce(Subquery(first_repeal, output_field=DateField()), never),
            Coalesce("expiry_date", never),
            Coalesce(manual, never),
        ),
    )


def _year_counts(base: QuerySet[Document], year: int) -> YearCounts:
    """Counts as of 31 December of `year`, so a later repeal never changes an earlier year's figures
    (a published report stays true): 废止 in the year its end falls in, 现行有效 in the years before."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    docs = _with_end(base)
    issued = docs.filter(issued_on__range=(start, end)).count()
    repealed = docs.filter(ended_on__range=(start, end)).count()
    in_force = docs.filter(issued_on__lte=end, ended_on__gt=end).count()
    return {"issued": issued, "repealed": repealed, "in_force": in_force}


def annual_document_counts(organisation_ids: set[int], year: int) -> AnnualDocumentCounts:
    """制发 / 废止 / 现行有效 of 规章 and 行政规范性文件 issued by these organisations."""
    published = Document.objects.published().filter(organisation_id__in=organisation_ids)
    # 规章 are promulgated by 政府令 (立法法 Art. 85); 行政规范性文件 carry the is_normative flag.
    return {
        "rules": _year_counts(published.filter(doc_type=DocType.ORDER, is_normative=False), year),
        "normative": _year_counts(published.filter(is_normative=True), year),
    }
