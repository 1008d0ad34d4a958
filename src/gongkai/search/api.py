"""Public search API: `/api/search/?q=…` (published documents only, never a raw database error)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from gongkai.core.http import allows_long_query
from gongkai.documents.api import FILTER_PARAMETERS
from gongkai.documents.selectors import DocumentFilters

from . import selectors


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    doc_number = serializers.CharField()
    organisation = serializers.CharField(help_text="主办机构代码")
    published_date = serializers.DateField(allow_null=True)
    score = serializers.FloatField(help_text="相关度得分（越大越相关；按日期排序时为0）")
    snippet = serializers.CharField(help_text="正文摘录（纯文本）")
    snippet_html = serializers.CharField(help_text="正文摘录，命中词以 <mark> 标出，其余已转义")
    title_html = serializers.CharField()
    url = serializers.CharField()
    interpretations = serializers.ListField(child=serializers.DictField(), help_text="该文件已发布的政策解读")


FACET = inline_serializer("SearchFacetValue", {"value": serializers.CharField(), "label": serializers.CharField(),
                                               "count": serializers.IntegerField()})  # fmt: skip


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    order = serializers.ChoiceField(choices=selectors.ORDERS)
    notices = serializers.ListField(child=serializers.CharField())
    document = serializers.DictField(
        allow_null=True, help_text="查询为某份文件的文号时，即该文件（id、标题、网址）"
    )
    results = SearchHitSerializer(many=True)
    facets = serializers.DictField(child=serializers.ListField(child=FACET))
    suggestions = serializers.ListField(child=serializers.CharField())


def _url(request: Request, path: str) -> str:
    return request.build_absolute_uri(path)


@allows_long_query  # an over-long query is cut to MAX_QUERY_CHARS with a notice, not a 414
class SearchViewSet(viewsets.ViewSet):
    """Full-text search over published documents: words ANDed, "phrases", OR, -exclusions, 文号."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        summary="全文检索",
        parameters=[
            OpenApiParameter(
                "q", str, description='检索词：空格分隔表示同时包含；"短语"；OR；-排除；或一个文号'
            ),
            OpenApiParameter(
                "order", str, enum=list(selectors.ORDERS), description="relevance（默认）或 date"
            ),
            OpenApiParameter("page", int, description="页码，从1开始"),
            OpenApiParameter("page_size", int, description="每页条数，1-50，默认10"),
            *[p for p in FILTER_PARAMETERS if p.name != "q"],
        ],
        responses=SearchResponseSerializer,
    )
    def list(self, request: Request) -> Response:
        params = request.query_params
        filters = DocumentFilters.from_params(params)
        if filters.errors:
            raise ValidationError(filters.errors)
        try:
            page = min(max(1, int(params.get("page") or 1)), selectors.MAX_PAGE)
            page_size = min(max(1, int(params.get("page_size") or 10)), 50)
        except ValueError:
            raise ValidationError({"page": "页码和每页条数应为正整数。"}) from None
        outcome = selectors.search(params.get("q", ""), filters=filters, order=params.get("order", "relevance"),
                                   offset=(page - 1) * page_size, limit=page_size)  # fmt: skip
        document = outcome.redirect
        notices = [*outcome.notices, *([outcome.error] if outcome.error else [])]
        return Response(
            {
                "query": outcome.query.raw,
                "count": outcome.total,
                "page": page,
                "page_size": page_size,
                "order": outcome.order,
                "notices": notices,
                "document": {
                    "id": document.pk,
                    "title": document.title,
                    "doc_number": document.doc_number,
                    "url": _url(request, document.get_absolute_url()),
                }
                if document
                else None,
                "results": [
                    {
                        "id": r.document.pk,
                        "title": r.document.title,
                        "doc_number": r.document.doc_number,
                        "organisation": r.document.organisation.code,
                        "published_date": r.document.published_date,
                        "score": r.score,
                        "snippet": r.snippet,
                        "snippet_html": str(r.snippet_html),
                        "title_html": str(r.title_html),
                        "url": _url(request, r.document.get_absolute_url()),
                        "interpretations": [
                            {
                                "id": i.pk,
                                "title": i.title,
                                "kind": i.kind,
                                "is_example": i.is_example,
                                "url": _url(request, i.get_absolute_url()),
                            }
                            for i in r.document.public_interpretations
                        ],
                    }
                    for r in outcome.results
                ],
                "facets": outcome.facets,
                "suggestions": outcome.suggestions,
            }
        )
