"""Public read API for published documents; staff write endpoints (token auth) calling the services."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from gongkai.accounts.models import Organisation
from gongkai.api.exceptions import call_service

from . import services
from .api_interpretations import InterpretationSerializer, public_interpretation_rows
from .constants import DisclosureMode, DocType, RelationType
from .models import Attachment, Document
from .selectors import DocumentFilters, apply_filters


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "title", "url", "size", "sha256"]

    def get_url(self, obj: Attachment) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class RelationSerializer(serializers.Serializer):
    relation_type = serializers.CharField()
    relation_label = serializers.CharField()
    document_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    doc_number = serializers.CharField()


class TagSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    dimension = serializers.CharField()


class DocumentSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    issuers = serializers.SerializerMethodField()
    theme = serializers.SerializerMethodField()
    tags = TagSerializer(many=True, read_only=True)
    doc_type_label = serializers.CharField(source="get_doc_type_display", read_only=True)
    validity_label = serializers.CharField(source="get_validity_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "index_number", "title", "doc_number", "organ_code", "doc_year", "doc_serial", "doc_type",
            "doc_type_label", "organisation", "issuers", "written_date", "published_date", "effective_date",
            "expiry_date", "theme", "tags", "disclosure_mode", "is_normative", "registration_number", "validity",
            "validity_label", "status", "url",
        ]  # fmt: skip

    def get_issuers(self, obj: Document) -> list[str]:
        return [link.organisation.name for link in obj.issuer_links.all()]

    def get_theme(self, obj: Document) -> dict | None:
        if obj.theme is None:
            return None
        return {"code": obj.theme.code, "name": str(obj.theme)}

    def get_url(self, obj: Document) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(obj.get_absolute_url()) if request else obj.get_absolute_url()


class DocumentDetailSerializer(DocumentSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)
    relations = serializers.SerializerMethodField()
    interpretations = serializers.SerializerMethodField(
        help_text="已发布的政策解读（随文件发布的在前，动态解读按日期）"
    )

    class Meta(DocumentSerializer.Meta):
        fields = [
            *DocumentSerializer.Meta.fields,
            "summary",
            "body_text",
            "body_html",
            "attachments",
            "relations",
            "interpretations",
        ]

    @extend_schema_field(InterpretationSerializer(many=True))
    def get_interpretations(self, obj: Document) -> list[dict]:
        return public_interpretation_rows(obj, self.context["request"])

    def get_relations(self, obj: Document) -> list[dict]:
        visible = Document.objects.visible_to(self.context["request"].user).values_list("pk", flat=True)
        visible_ids = set(visible)
        rows = []
        for rel in obj.outgoing_relations.select_related("target"):
            if rel.target_id is not None and rel.target_id not in visible_ids:
                continue  # a draft or non-public document: not even its title is shown
            target = rel.target
            rows.append({"relation_type": rel.relation_type, "relation_label": rel.get_relation_type_display(),
                         "document_id": target.pk if target else None,
                         "title": target.title if target else rel.target_title,
                         "doc_number": target.doc_number if target else rel.target_doc_number})  # fmt: skip
        return rows


class DocumentWriteSerializer(serializers.Serializer):
    """Input shape only; every rule is checked by documents.services."""

    title = serializers.CharField(max_length=300, required=False)
    organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False
    )
    issuers = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), many=True, required=False
    )
    doc_number = serializers.CharField(allow_blank=True, required=False, max_length=80)
    doc_type = serializers.ChoiceField(choices=DocType.choices, required=False)
    written_date = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    published_date = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    effective_date = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    expiry_date = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    theme = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        help_text="政策标签代码（gongkai tags list）",
    )
    disclosure_mode = serializers.ChoiceField(choices=DisclosureMode.choices, required=False)
    withheld_reason = serializers.CharField(allow_blank=True, required=False, max_length=30)
    is_normative = serializers.BooleanField(required=False)
    registration_number = serializers.CharField(allow_blank=True, required=False, max_length=80)
    body_html = serializers.CharField(allow_blank=True, required=False)
    body_text = serializers.CharField(allow_blank=True, required=False)
    summary = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    interpretation_required = serializers.BooleanField(
        allow_null=True, required=False, help_text="需解读（三同步）；null 按默认规则，false 须填写理由"
    )
    interpretation_waiver_reason = serializers.CharField(allow_blank=True, required=False, max_length=300)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RelationWriteSerializer(serializers.Serializer):
    relation_type = serializers.ChoiceField(choices=RelationType.choices)
    target = serializers.IntegerField(required=False, allow_null=True)
    target_title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    target_doc_number = serializers.CharField(required=False, allow_blank=True, max_length=80)


FILTER_PARAMETERS = [
    OpenApiParameter("organisation", str, description="发文机关代码"),
    OpenApiParameter("year", int, description="发布年份"),
    OpenApiParameter("doc_type", str, enum=DocType.values, description="文种"),
    OpenApiParameter("theme", str, description="主题分类代码（含下级）"),
    OpenApiParameter("validity", str, description="有效性"),
    OpenApiParameter("normative", bool, description="是否规范性文件"),
    OpenApiParameter("q", str, description="标题或文号"),
    OpenApiParameter("tag", str, many=True, description="政策标签代码，可重复（同时具备）；含下级标签"),
]


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published documents for everyone; a staff token also sees its own organisation's drafts."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filter_backends: list = []

    def get_queryset(self):
        queryset = (
            Document.objects.visible_to(self.request.user)
            .select_related("organisation", "theme", "theme__parent")
            .prefetch_related("tags", "issuer_links__organisation", "attachments")
        )
        if self.action == "list":
            filters = DocumentFilters.from_params(self.request.query_params)
            if filters.errors:
                raise ValidationError(filters.errors)
            queryset = apply_filters(queryset, filters)
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return DocumentDetailSerializer
        if self.action in {"create", "partial_update"}:
            return DocumentWriteSerializer
        return DocumentSerializer

    def _own(self, pk: str) -> Document:
        if not str(pk).isdigit():
            raise NotFound()
        return get_object_or_404(Document.objects.of_organisation(self.request.user), pk=pk)

    def _reason(self, request: Request) -> str:
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data.get("reason", "")

    @extend_schema(request=DocumentWriteSerializer, responses={201: DocumentDetailSerializer})
    def create(self, request: Request) -> Response:
        data = DocumentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisation = fields.pop("organisation", None) or request.user.organisation
        if organisation is None:
            raise ValidationError({"organisation": "请指定发文机关。"})
        if "title" not in fields:
            raise ValidationError({"title": "标题不能为空。"})
        document = call_service(
            services.create_document, actor=request.user, organisation=organisation, **fields
        )
        return Response(
            DocumentDetailSerializer(document, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=DocumentWriteSerializer, responses=DocumentDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        data = DocumentWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("organisation", None)
        document = call_service(services.update_document, self._own(pk), actor=request.user, **fields)
        return Response(DocumentDetailSerializer(document, context={"request": request}).data)

    def _workflow(self, request: Request, pk: str, func, **kwargs) -> Response:
        document = call_service(func, self._own(pk), actor=request.user, **kwargs)
        return Response(DocumentDetailSerializer(document, context={"request": request}).data)

    @extend_schema(request=None, responses=DocumentDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._workflow(request, pk, services.submit_for_review)

    @extend_schema(request=None, responses=DocumentDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._workflow(request, pk, services.publish_document)

    @extend_schema(request=ReasonSerializer, responses=DocumentDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._workflow(request, pk, services.reject_document, reason=self._reason(request))

    @extend_schema(request=ReasonSerializer, responses=DocumentDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._workflow(request, pk, services.withdraw_document, reason=self._reason(request))

    @extend_schema(request=RelationWriteSerializer, responses=DocumentDetailSerializer)
    @action(detail=True, methods=["post"])
    def relations(self, request: Request, pk: str) -> Response:
        data = RelationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        target_id = fields.pop("target", None)
        target = (
            get_object_or_404(Document.objects.visible_to(request.user), pk=target_id) if target_id else None
        )
        source = self._own(pk)
        call_service(services.add_relation, source, actor=request.user, target=target, **fields)
        return Response(
            DocumentDetailSerializer(source, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
