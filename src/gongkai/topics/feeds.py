"""RSS/Atom of a topic (its documents, newest first) and of a project's progress updates."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .models import ProgressRecord, ProgressUpdate, Topic
from .selectors import published_projects, published_topics, topic_documents

FEED_SIZE = 50


class TopicFeed(Feed):
    def get_object(self, request, code: str) -> Topic:
        return get_object_or_404(published_topics(), code=code)

    def title(self, obj: Topic) -> str:
        return f"专题：{obj.title}"

    def link(self, obj: Topic) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Topic) -> str:
        return obj.summary or obj.title

    def items(self, obj: Topic):
        return topic_documents(obj)[:FEED_SIZE]

    def item_title(self, item) -> str:
        return f"{item.title}（{item.doc_number}）" if item.doc_number else item.title

    def item_description(self, item) -> str:
        return item.summary or item.body_text[:200]

    def item_pubdate(self, item) -> dt.datetime | None:
        return item.published_at


class TopicAtom(TopicFeed):
    feed_type = Atom1Feed
    subtitle = TopicFeed.description


class ProjectFeed(Feed):
    def get_object(self, request, pk: int) -> ProgressRecord:
        return get_object_or_404(published_projects(), pk=pk)

    def title(self, obj: ProgressRecord) -> str:
        return f"项目进展：{obj.title}"

    def link(self, obj: ProgressRecord) -> str:
        return obj.get_absolute_url()

    def description(self, obj: ProgressRecord) -> str:
        return obj.target or obj.title

    def items(self, obj: ProgressRecord):
        return obj.updates.all()[:FEED_SIZE]

    def item_title(self, item: ProgressUpdate) -> str:
        percent = f"（{item.percent_complete}%）" if item.percent_complete is not None else ""
        return f"{item.date:%Y-%m-%d} {item.record.title}{percent}"

    def item_description(self, item: ProgressUpdate) -> str:
        return item.text

    def item_link(self, item: ProgressUpdate) -> str:
        return f"{item.record.get_absolute_url()}#update-{item.pk}"

    def item_pubdate(self, item: ProgressUpdate) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(item.date, dt.time(9)))
