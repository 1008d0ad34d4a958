"""The search index rows and staff-editable synonyms.

`SearchEntry` is one row per published, proactively disclosed document. Its columns hold the
segmented tokens of each field (space-separated); the backends build their index over them:
an FTS5 external-content table on SQLite, a weighted `tsvector` column and a head-fields-only
`head_tsv`, each with a GIN index, on PostgreSQL (both created by this app's migrations). The id grows with every (re)index, so the
highest ids are the most recently published documents: `backends.base` uses that to bound the
set of rows it ranks.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    document = models.OneToOneField(
        "documents.Document", on_delete=models.CASCADE, related_name="search_entry", verbose_name=_("公文")
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True)
    title = models.TextField(blank=True)
    doc_number = models.TextField(blank=True)
    issuers = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    body = models.TextField(blank=True)
    plain = models.TextField(blank=True, help_text="Normalised full text, for exact phrase checks.")
    # NULL allowed only so that SQLite adds the column in place (a NOT NULL column makes Django copy
    # the whole table, which drops the FTS5 triggers); the backends always write a string.
    title_key = models.CharField(  # noqa: DJ001
        max_length=200,
        null=True,
        blank=True,
        help_text="The title as a query is compared with it (query.title_key).",
    )
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("检索索引条目")
        verbose_name_plural = _("检索索引条目")
        indexes = [models.Index(fields=["title_key"], name="search_entry_title_key")]

    def __str__(self) -> str:
        return f"search entry for document {self.document_id}"


_SEPARATORS = re.compile(r"[,，、;；/\s]+")


class Synonym(models.Model):
    """A group of words a citizen may use for the same thing (养老, 为老): any of them finds all."""

    words = models.CharField(
        _("同义词"), max_length=300, unique=True, help_text=_("用逗号或顿号分隔，如“养老，为老”。")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["words"]
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")

    def __str__(self) -> str:
        return self.words

    @staticmethod
    def split(words: str) -> list[str]:
        seen: list[str] = []
        for word in _SEPARATORS.split(words or ""):
            word = word.strip()
            if word and word not in seen:
                seen.append(word)
        return seen
