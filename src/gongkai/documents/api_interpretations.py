"""`/api/interpretations/`: published 政策解读 for everyone; staff tokens draft and move them along.

Writes call `documents.interpretations` (rule 1); an interpretation of a policy not yet published is
submitted and published with that policy (三同步) through `/api/documents/<id>/submit|publish/`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from gongkai.accounts.models import Organisation
from gongkai.api.exceptions import call_service

from . import interpretations as services
from .constants import SECTION_FIELDS, InterpretationKind
from .models import Document, Interpretation


class InterpretedDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    doc_number = serializers.CharField()


class InterpretationSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    documents = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Interpretation
        fields = ["id", "title", "kind", "kind_label", "organisation", "documents", "published_date", "is_follow_up",
                  "is_example", "author", "status", "url"]  # fmt: skip

    @extend_schema_field(InterpretedDocumentSerializer(many=True))
    def get_documents(self, obj: Interpretation) -> list[dict]:
        visible = Document.objects.visible_to(self.context["request"].user)
        rows = obj.documents.filter(pk__in=visible.values("pk")).order_by("id")
        return [{"id": d.pk, "title": d.title, "doc_number": d.doc_number} for d in rows]

    def get_url(self, obj: Interpretation) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class SectionSerializer(serializers.Serializer):
    name = serializers.CharField()
    heading = serializers.CharField()
    text = serializers.CharField()


class InterpretationDetailSerializer(InterpretationSerializer):
    sections = serializers.SerializerMethodField()

    class Meta(InterpretationSerializer.Meta):
        fields = [*InterpretationSerializer.Meta.fields, "summary", "body", "media_url", "sections"]

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, obj: Interpretation) -> list[dict]:
        """The non-empty sections in the work plan's order (核心概念 … 新旧政策差异)."""
        return [{"name": name, "heading": heading, "text": text} for name, heading, text in obj.sections()]


def public_interpretation_rows(document: Document, request: Request) -> list[dict]:
    """A document's published interpretations, for `/api/documents/<id>/` (`interpretations`)."""
    from .interpretation_selectors import interpretations_of

    return InterpretationSerializer(
        interpretations_of(document), many=True, context={"request": request}
    ).data


class InterpretationWriteSerializer(serializers.Serializer):
    """Input shape only; every rule is checked by documents.interpretations."""

    documents = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="所解读文件的 id"
    )
    organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False
    )
    kind = serializers.ChoiceField(choices=InterpretationKind.choices, required=False)
    title = serializers.CharField(max_length=300, required=False)
    summary = serializers.CharField(allow_blank=True, required=False)
    body = serializers.CharField(allow_blank=True, required=False)
    author = serializers.CharField(allow_blank=True, required=False, max_length=120)
    media_url = serializers.CharField(allow_blank=True, required=False, max_length=500)
    is_example = serializers.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SECTION_FIELDS:
            self.fields[name] = serializers.CharField(allow_blank=True, required=False)


class InterpretationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("kind", str, enum=InterpretationKind.values, description="解读形式"),
    OpenApiParameter("document", int, description="所解读文件的 id"),
]))  # fmt: skip
class InterpretationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published interpretations for everyone; a staff token also sees its own organisation's drafts."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Interpretation]:
        from .interpretation_selectors import interpretations_visible_to, public_interpretations

        user = self.request.user
        queryset = interpretations_visible_to(user) if user.is_authenticated else public_interpretations()
        queryset = queryset.prefetch_related("documents").order_by("-published_date", "-id")
        if self.action == "list":
            kind = self.request.query_params.get("kind", "")
            if kind and kind not in InterpretationKind.values:
                raise ValidationError({"kind": "解读形式不存在"})
            if kind:
                queryset = queryset.filter(kind=kind)
            document = self.request.query_params.get("document", "")
            if document:
                if not document.isdigit():
                    raise ValidationError({"document": "文件 id 应为数字"})
                queryset = queryset.filter(documents=int(document))
        return queryset

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return InterpretationDetailSerializer if self.action == "retrieve" else InterpretationSerializer

    def _own(self, pk: str) -> Interpretation:
        if not str(pk).isdigit():
            raise NotFound()
        user = self.request.user
        queryset = Interpretation.objects.all()
        if not user.is_platform_admin:
            queryset = queryset.filter(organisation_id=user.organisation_id or -1)
        return get_object_or_404(queryset, pk=pk)

    def _documents(self, ids: list[int]) -> list[Document]:
        found = list(Document.objects.visible_to(self.request.user).filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise ValidationError({"documents": "所解读的文件不存在或您无权查看。"})
        return found

    def _detail(self, item: Interpretation, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            InterpretationDetailSerializer(item, context={"request": self.request}).data, status=code
        )

    @extend_schema(request=InterpretationWriteSerializer, responses={201: InterpretationDetailSerializer})
    def create(self, request: Request) -> Response:
        data = InterpretationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisation = fields.pop("organisation", None) or request.user.organisation
        if organisation is None:
            raise ValidationError({"organisation": "请指定解读发布机构。"})
        if "title" not in fields:
            raise ValidationError({"title": "解读标题不能为空。"})
        documents = self._documents(fields.pop("documents", []))
        item = call_service(services.create_interpretation, actor=request.user, organisation=organisation,
                            documents=documents, **fields)  # fmt: skip
        return self._detail(item, status.HTTP_201_CREATED)

    @extend_schema(request=InterpretationWriteSerializer, responses=InterpretationDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        data = InterpretationWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("organisation", None)
        documents = self._documents(fields.pop("documents")) if "documents" in fields else None
        item = call_service(
            services.update_interpretation, self._own(pk), actor=request.user, documents=documents, **fields
        )
        return self._detail(item)

    def _workflow(self, pk: str, func: Callable[..., Interpretation], **kwargs: Any) -> Response:
        return self._detail(call_service(func, self._own(pk), actor=self.request.user, **kwargs))

    def _reason(self) -> str:
        data = InterpretationReasonSerializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data.get("reason", "")

    @extend_schema(request=None, responses=InterpretationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._workflow(pk, services.submit_interpretation)

    @extend_schema(request=None, responses=InterpretationDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._workflow(pk, services.publish_interpretation)

    @extend_schema(request=InterpretationReasonSerializer, responses=InterpretationDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._workflow(pk, services.reject_interpretation, reason=self._reason())

    @extend_schema(request=InterpretationReasonSerializer, responses=InterpretationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._workflow(pk, services.withdraw_interpretation, reason=self._reason())
