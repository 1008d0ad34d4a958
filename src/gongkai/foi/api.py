"""Staff API for the FOI workflow (token auth). An online channel such as 一网通办 registers through
`POST /api/foi/requests/`; every action calls the same service as the staff screens (rule 1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from gongkai.accounts.constants import Role
from gongkai.api.exceptions import call_service

from . import selectors, services
from .filters import FOIRequestFilterSet
from .letters import render_docx
from .models import FOILetter, FOIRequest
from .serializers import (
    AppealDecisionSerializer,
    AppealInputSerializer,
    AppealResultSerializer,
    AppealSerializer,
    ConsultEndSerializer,
    ConsultSerializer,
    CorrectionNoticeSerializer,
    DateSerializer,
    DeliverySerializer,
    ExtensionDecisionSerializer,
    ExtensionSerializer,
    FeeNoticeSerializer,
    FeePaidSerializer,
    FOIRequestDetailSerializer,
    FOIRequestSerializer,
    LetterReviewResultSerializer,
    LetterReviewSerializer,
    RegisteredSerializer,
    RegisterSerializer,
    ReplySerializer,
    ServedSerializer,
    UnlinkedAppealSerializer,
)


class IsFOIStaffOrReviewer(permissions.BasePermission):
    """Reviewers review reply letters before they are issued (条例 Arts. 14–17); the service checks the rest."""

    message = "审查答复书需要“审核人”角色。"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and any(user.has_role(role) for role in (Role.FOI_OFFICER, Role.APPROVER, Role.REVIEWER))
        )


class IsFOIStaff(permissions.BasePermission):
    message = "依申请公开接口需要“依申请公开经办人”或“审批人”角色。"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.has_role(Role.FOI_OFFICER) or user.has_role(Role.APPROVER))
        )


Arguments = Callable[[dict[str, Any]], dict[str, Any]]


def _none(data: dict[str, Any]) -> dict[str, Any]:
    return {}


@extend_schema_view(
    list=extend_schema(summary="本单位的依申请公开申请"),
    retrieve=extend_schema(summary="申请详情（含征求意见、文书、复议诉讼）"),
)
class FOIRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """依申请公开 workflow for staff of the request's organisation."""

    permission_classes = [IsFOIStaff]
    serializer_class = FOIRequestSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FOIRequestFilterSet

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.staff_request_details(self.request.user)
        return selectors.api_list(self.request.user)

    def filter_queryset(self, queryset):
        # the filter parameters are the list's; a request's own URL ignores them
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_class(self):
        return FOIRequestDetailSerializer if self.action == "retrieve" else FOIRequestSerializer

    def _detail(self, request: Request, pk: str | int, code: int = status.HTTP_200_OK) -> Response:
        obj = selectors.staff_request_details(request.user).get(pk=pk)
        return Response(FOIRequestDetailSerializer(obj, context={"request": request}).data, status=code)

    def _own(self, pk: str) -> FOIRequest:
        return get_object_or_404(selectors.staff_requests(self.request.user), pk=pk)

    def _own_letter(self, pk: str, letter_id: str) -> FOILetter:
        return get_object_or_404(
            selectors.staff_letters(self.request.user), request=self._own(pk), pk=letter_id
        )

    def _input(self, serializer_class: type[serializers.Serializer], request: Request) -> dict:
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def _act(
        self,
        request: Request,
        pk: str,
        service: Callable[..., Any],
        serializer_class: type[serializers.Serializer] | None = None,
        arguments: Arguments = _none,
        *,
        target: Callable[[dict[str, Any]], Any] | None = None,
        respond: Callable[[Any], Response] | None = None,
    ) -> Response:
        """One workflow step: parse the input, take the request of the user's organisation (or
        `target(data)`), call the service as the user with `arguments(data)` (its Django errors become
        API errors with the same Chinese messages), answer with the request's detail (or `respond`)."""
        data = self._input(serializer_class, request) if serializer_class else {}
        obj = target(data) if target else self._own(pk)
        result = call_service(service, obj, actor=request.user, **arguments(data))
        return respond(result) if respond else self._detail(request, pk)

    @extend_schema(
        summary="登记申请（网上渠道提交亦用此接口）",
        request=RegisterSerializer,
        responses={201: RegisteredSerializer},
    )
    def create(self, request: Request) -> Response:
        fields = self._input(RegisterSerializer, request)
        organisation = fields.pop("organisation", None) or request.user.organisation
        if organisation is None:
            raise ValidationError({"organisation": "请指定受理机关。"})
        foi_request, code = call_service(
            services.register_request, actor=request.user, organisation=organisation, channel=fields.pop("channel"),
            received_date=fields.pop("received_date"), **fields,
        )  # fmt: skip
        payload = FOIRequestSerializer(foi_request, context={"request": request}).data
        payload["access_code"] = code
        return Response(payload, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="发出补正通知（条例第三十条）",
        request=CorrectionNoticeSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="correction-notice")
    def correction_notice(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.send_correction_notice, CorrectionNoticeSerializer, lambda d: {
            "notice_date": d["date"], "items": d["items"],
            "correction_due_date": d.get("correction_due_date") or None})  # fmt: skip

    @extend_schema(
        summary="收到补正（重新计算答复期限）", request=DateSerializer, responses=FOIRequestDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="correction-received")
    def correction_received(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.receive_correction, DateSerializer,
                         lambda d: {"received_date": d["date"]})  # fmt: skip

    @extend_schema(
        summary="逾期不补正，终止处理", request=DateSerializer, responses=FOIRequestDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="close-no-correction")
    def close_no_correction(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.close_for_no_correction, DateSerializer,
                         lambda d: {"decided_date": d["date"]})  # fmt: skip

    @extend_schema(
        summary="征求第三方或共同制作机关意见（暂停计时）",
        request=ConsultSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def consult(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.start_consultation, ConsultSerializer, lambda d: {
            "kind": d["kind"], "party": d["party"], "sent_date": d["date"],
            "delivery_method": d.get("delivery_method", ""), "delivered_date": d.get("delivered_date") or None})  # fmt: skip

    @extend_schema(
        summary="登记征求意见函送达日期（自收到之日起15个工作日，条例第三十二条、第三十四条）",
        request=ServedSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="consult-delivered")
    def consult_delivered(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.record_consultation_delivery, ServedSerializer, lambda d: {
            "delivered_date": d["date"], "delivery_method": d["delivery_method"],
            "tracking_number": d.get("tracking_number", "")})  # fmt: skip

    @extend_schema(
        summary="登记征求意见结果（恢复计时）",
        request=ConsultEndSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="consult-end")
    def consult_end(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.end_consultation, ConsultEndSerializer, lambda d: {
            "answered_date": d.get("date") or None, "answer": d.get("answer", ""),
            "no_answer": d.get("no_answer", False)})  # fmt: skip

    @extend_schema(
        summary="申请延期答复（条例第三十三条）",
        request=ExtensionSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def extension(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.request_extension, ExtensionSerializer, lambda d: {
            "days": d["days"], "reason": d["reason"], "request_date": d.get("date") or None})  # fmt: skip

    @extend_schema(
        summary="审批延期（需审批人角色）",
        request=ExtensionDecisionSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="extension-decision")
    def extension_decision(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.decide_extension, ExtensionDecisionSerializer,
                         lambda d: {"approve": d["approve"], "decision_date": d.get("date") or None})  # fmt: skip

    @extend_schema(
        summary="发出收费通知（国办函〔2020〕109号）",
        request=FeeNoticeSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="fee-notice")
    def fee_notice(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.send_fee_notice, FeeNoticeSerializer, lambda d: {
            "standard": d["standard"], "notice_date": d["date"], "pages": d.get("pages"),
            "delivery_method": d.get("delivery_method", ""), "delivered_date": d.get("delivered_date") or None})  # fmt: skip

    @extend_schema(
        summary="登记收费通知送达日期（自收到次日起20个工作日缴费，国办函〔2020〕109号）",
        request=ServedSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="fee-notice-delivered")
    def fee_notice_delivered(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.record_fee_notice_delivery, ServedSerializer,
                         lambda d: {"delivered_date": d["date"], "delivery_method": d["delivery_method"]})  # fmt: skip

    @extend_schema(summary="登记缴费", request=FeePaidSerializer, responses=FOIRequestDetailSerializer)
    @action(detail=True, methods=["post"], url_path="fee-paid")
    def fee_paid(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.record_fee_payment, FeePaidSerializer,
                         lambda d: {"paid_date": d["date"], "amount": d.get("amount")})  # fmt: skip

    @extend_schema(
        summary="逾期未缴费，终止处理", request=DateSerializer, responses=FOIRequestDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="close-unpaid")
    def close_unpaid(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.close_for_unpaid_fee, DateSerializer,
                         lambda d: {"decided_date": d["date"]})  # fmt: skip

    @extend_schema(
        summary="起草答复书（经公开审查通过后再出具）",
        request=ReplySerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        data = self._input(ReplySerializer, request)
        if data.get("decided_date"):
            # 先审查、后公开 (条例 Arts. 14–17): a fresh draft has no review yet, so it cannot be issued here
            raise ValidationError({"decided_date": "答复书须经公开审查通过后才能出具（先审查、后公开），"
                                                   "请起草后经审查，再通过出具接口出具。"})  # fmt: skip
        letter = call_service(services.prepare_reply, self._own(pk), actor=request.user, outcome=data["outcome"],
                              reason=data.get("reason", ""))  # fmt: skip
        if data.get("body"):
            call_service(services.edit_letter, letter, actor=request.user, body=data["body"])
        return self._detail(request, pk)

    @extend_schema(
        summary="公开审查答复书（条例第十四条至第十七条：先审查、后公开）",
        description="审核人（非起草人）审查答复书草稿：同意出具或退回修改。系统检出个人信息或涉密标识时，"
        "同意出具须填写审查意见；退回修改须填写审查意见。",
        request=LetterReviewSerializer,
        responses=LetterReviewResultSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"letters/(?P<letter_id>[0-9]+)/review",
        permission_classes=[IsFOIStaffOrReviewer],
    )
    def review_letter(self, request: Request, pk: str, letter_id: str) -> Response:
        return self._act(
            request, pk, services.review_letter, LetterReviewSerializer,
            lambda d: {"approve": d["decision"] == "approve", "note": d.get("note", "")},
            target=lambda d: self._own_letter(pk, letter_id),
            respond=lambda letter: Response(LetterReviewResultSerializer(letter).data),
        )  # fmt: skip

    @extend_schema(
        summary="出具经审查通过的答复书（即作出答复决定）",
        request=DateSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"letters/(?P<letter_id>[0-9]+)/issue")
    def issue_letter(self, request: Request, pk: str, letter_id: str) -> Response:
        return self._act(request, pk, services.issue_reply, DateSerializer, lambda d: {"decided_date": d["date"]},
                         target=lambda d: self._own_letter(pk, letter_id))  # fmt: skip

    @extend_schema(summary="登记送达", request=DeliverySerializer, responses=FOIRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.record_delivery, DeliverySerializer, lambda d: {
            "method": d["method"], "delivery_date": d["date"],
            "tracking_number": d.get("tracking_number", "")})  # fmt: skip

    @extend_schema(summary="办结归档", request=None, responses=FOIRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.archive_request)

    @extend_schema(
        summary="登记行政复议或行政诉讼", request=AppealInputSerializer, responses={201: AppealSerializer}
    )
    @action(detail=True, methods=["post"])
    def appeals(self, request: Request, pk: str) -> Response:
        return self._act(
            request, pk, services.add_appeal, AppealInputSerializer,
            lambda d: {"kind": d["kind"], "grounds": d.get("grounds", ""), "filed_date": d["date"],
                       "case_number": d.get("case_number", ""), "body": d.get("body", "")},
            respond=lambda appeal: Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED),
        )  # fmt: skip

    @extend_schema(summary="登记复议诉讼结果", request=AppealResultSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"], url_path="appeal-result")
    def appeal_result(self, request: Request, pk: str) -> Response:
        return self._act(
            request, pk, services.decide_appeal, AppealResultSerializer,
            lambda d: {"result": d["result"], "decided_date": d["date"]},
            target=lambda d: get_object_or_404(self._own(pk).appeals.all(), pk=d["appeal"]),
            respond=lambda appeal: Response(AppealSerializer(appeal).data),
        )  # fmt: skip

    @extend_schema(
        summary="下载文书 DOCX",
        parameters=[OpenApiParameter("letter", int, location=OpenApiParameter.PATH)],
        responses={
            (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): OpenApiResponse(
                OpenApiTypes.BINARY
            )
        },
    )
    @action(detail=True, methods=["get"], url_path=r"letters/(?P<letter>\d+)/docx")
    def letter_docx(self, request: Request, pk: str, letter: str) -> HttpResponse:
        item = get_object_or_404(
            selectors.staff_letters(request.user).select_related("request__organisation"),
            request=self._own(pk),
            pk=letter,
        )
        response = HttpResponse(
            render_docx(item),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="{item.letter_number or item.pk}.docx"'
        return response


@extend_schema_view(
    list=extend_schema(summary="本单位的政府信息公开行政复议、行政诉讼（含未关联申请的案件）")
)
class FOIAppealViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every case of the organisation (annual report Table 四); cases linked to no request are created
    here, e.g. about active disclosure (条例 Art. 51). Cases about a request: `…/requests/<id>/appeals/`."""

    permission_classes = [IsFOIStaff]
    serializer_class = AppealSerializer

    def get_queryset(self):
        return selectors.staff_appeals(self.request.user).order_by("-filed_date", "-id")

    @extend_schema(
        summary="登记未关联申请的复议诉讼（如关于主动公开）",
        request=UnlinkedAppealSerializer,
        responses={201: AppealSerializer},
    )
    def create(self, request: Request) -> Response:
        data = UnlinkedAppealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        appeal = call_service(
            services.add_appeal, None, actor=request.user, organisation=request.user.organisation,
            kind=d["kind"], grounds=d["grounds"], subject=d["subject"], filed_date=d["date"],
            case_number=d.get("case_number", ""), body=d.get("body", ""),
        )  # fmt: skip
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="登记复议诉讼结果", request=AppealDecisionSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"])
    def result(self, request: Request, pk: str) -> Response:
        data = AppealDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = call_service(
            services.decide_appeal, get_object_or_404(self.get_queryset(), pk=pk), actor=request.user,
            result=data.validated_data["result"], decided_date=data.validated_data["date"],
        )  # fmt: skip
        return Response(AppealSerializer(appeal).data)
