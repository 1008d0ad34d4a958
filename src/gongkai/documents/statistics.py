"""Yearly figures of the document library, for the annual report's Table 二 (条例 Art. 20 item (一)).

The library owns what counts as issued, repealed and in force; `reports` only lays the numbers out.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from .constants import DocType, RelationType, Validity
from .models import Document, DocumentRelation


class YearCounts(TypedDict):
    issued: int  # 本年制发件数
    repealed: int  # 本年废止件数
    in_force: int  # 现行有效件数


class AnnualDocumentCounts(TypedDict):
    rules: YearCounts  # 规章
    normative: YearCounts  # 行政规范性文件


def _year_counts(base: QuerySet[Document], year: int) -> YearCounts:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    docs = base.annotate(issued_on=Coalesce("written_date", "published_date"))
    repealed_by = DocumentRelation.objects.filter(
        target_id=OuterRef("pk"), relation_type=RelationType.REPEALS, source__status="published"
    )
    docs = docs.annotate(
        repealed_in_year=Exists(repealed_by.filter(source__published_date__range=(start, end))),
        repealed_by_end=Exists(repealed_by.filter(source__published_date__lte=end)),
    )
    issued = docs.filter(issued_on__range=(start, end)).count()
    repealed = docs.filter(Q(repealed_in_year=True) | Q(expiry_date__range=(start, end))).count()
    in_force = (
        docs.filter(issued_on__lte=end, repealed_by_end=False)
        .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gt=end))
        .exclude(validity_override__in=[Validity.REPEALED, Validity.EXPIRED])
        .count()
    )
    return {"issued": issued, "repealed": repealed, "in_force": in_force}


def annual_document_counts(organisation_ids: set[int], year: int) -> AnnualDocumentCounts:
    """制发 / 废止 / 现行有效 of 规章 and 行政规范性文件 issued by these organisations."""
    published = Document.objects.published().filter(organisation_id__in=organisation_ids)
    # 规章 are promulgated by 政府令 (立法法 Art. 85); 行政规范性文件 carry the is_normative flag.
    return {
        "rules": _year_counts(published.filter(doc_type=DocType.ORDER, is_normative=False), year),
        "normative": _year_counts(published.filter(is_normative=True), year),
    }
