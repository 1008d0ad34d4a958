"""Open API of topic pages and service items (read-only, public content only)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from .models import ExternalReference, ProgressRecord, ServiceItem, Topic
from .selectors import published_topics, service_items, topic_page


class ReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExternalReference
        fields = ["level", "title", "doc_number", "issuer", "date", "url"]


class ServiceItemSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    documents = serializers.SerializerMethodField()

    class Meta:
        model = ServiceItem
        fields = ["id", "name", "organisation", "audience", "channel", "url", "basis_articles", "materials",
                  "time_limit", "phone", "documents", "is_example"]  # fmt: skip

    def get_documents(self, obj: ServiceItem) -> list[int]:
        return [document.pk for document in obj.documents.all() if document.is_public]


class ProjectSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = ProgressRecord
        fields = ["id", "title", "organisation", "target", "milestones", "percent_complete", "budget_amount",
                  "final_amount", "budget_disclosure_url", "is_example"]  # fmt: skip


class TopicSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Topic
        fields = ["code", "title", "summary", "workplan_items", "is_example", "url"]


class TopicViewSet(viewsets.ViewSet):
    """Published topic pages: documents grouped by level, references, service items, progress."""

    lookup_field = "code"
    lookup_value_regex = "[a-z0-9-]+"

    @extend_schema(responses=TopicSerializer(many=True), summary="政策专题列表")
    def list(self, request):
        return Response(TopicSerializer(published_topics(), many=True).data)

    @extend_schema(
        responses=TopicSerializer, summary="专题内容（按层级分组的文件、上级文件、办事事项、项目进展）"
    )
    def retrieve(self, request, code: str | None = None):
        topic = get_object_or_404(published_topics(), code=code)
        page = topic_page(topic)
        data = TopicSerializer(topic).data
        data["documents"] = [
            {"level": level, "level_label": label,
             "documents": [{"id": d.pk, "title": d.title, "doc_number": d.doc_number,
                            "published_date": d.published_date, "url": d.get_absolute_url()} for d in docs]}
            for level, label, docs in page.documents_by_level
        ]  # fmt: skip
        data["references"] = ReferenceSerializer(topic.references.all(), many=True).data
        data["service_items"] = ServiceItemSerializer(page.service_items, many=True).data
        data["projects"] = ProjectSerializer(page.projects, many=True).data
        return Response(data)


class ServiceItemViewSet(viewsets.ReadOnlyModelViewSet):
    """办事事项 (阅办联动) with the public documents they rest on."""

    serializer_class = ServiceItemSerializer

    def get_queryset(self):
        return service_items()
