"""Staff API for the FOI workflow (token auth). An online channel such as 一网通办 registers through
`POST /api/foi/requests/`; every action calls the same service as the staff screens (rule 1)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from gongkai.accounts.constants import Role
from gongkai.api.exceptions import call_service

from . import services
from .constants import OPEN_STATUSES, RequestStatus
from .letters import render_docx
from .models import FOIAppeal, FOILetter, FOIRequest
from .serializers import (
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


@extend_schema_view(
    list=extend_schema(
        summary="本单位的依申请公开申请",
        parameters=[
            OpenApiParameter("status", str, enum=RequestStatus.values, description="状态"),
            OpenApiParameter("overdue", bool, description="只看已超期"),
        ],
    ),
    retrieve=extend_schema(summary="申请详情（含征求意见、文书、复议诉讼）"),
)
class FOIRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """依申请公开 workflow for staff of the request's organisation."""

    permission_classes = [IsFOIStaff]
    serializer_class = FOIRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        queryset = FOIRequest.objects.of_organisation(self.request.user).select_related("organisation")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("consultations", "letters", "appeals")
        if self.action == "list":
            params = self.request.query_params
            if params.get("status"):
                queryset = queryset.filter(status=params["status"])
            if params.get("overdue") in ("1", "true"):
                queryset = queryset.filter(due_date__lt=timezone.localdate(), status__in=OPEN_STATUSES)
            queryset = queryset.order_by("due_date", "id")
        return queryset

    def get_serializer_class(self):
        return FOIRequestDetailSerializer if self.action == "retrieve" else FOIRequestSerializer

    def _detail(self, request: Request, pk: str | int, code: int = status.HTTP_200_OK) -> Response:
        obj = (
            FOIRequest.objects.select_related("organisation")
            .prefetch_related("consultations", "letters", "appeals")
            .get(pk=pk)
        )
        return Response(FOIRequestDetailSerializer(obj, context={"request": request}).data, status=code)

    def _own(self, pk: str) -> FOIRequest:
        return get_object_or_404(FOIRequest.objects.of_organisation(self.request.user), pk=pk)

    def _input(self, serializer_class: type[serializers.Serializer], request: Request) -> dict:
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

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
        data = self._input(CorrectionNoticeSerializer, request)
        call_service(services.send_correction_notice, self._own(pk), actor=request.user, notice_date=data["date"],
              items=data["items"], correction_due_date=data.get("correction_due_date") or None)  # fmt: skip
        return self._detail(request, pk)

    @extend_schema(
        summary="收到补正（重新计算答复期限）", request=DateSerializer, responses=FOIRequestDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="correction-received")
    def correction_received(self, request: Request, pk: str) -> Response:
        data = self._input(DateSerializer, request)
        call_service(
            services.receive_correction, self._own(pk), actor=request.user, received_date=data["date"]
        )
        return self._detail(request, pk)

    @extend_schema(
        summary="逾期不补正，终止处理", request=DateSerializer, responses=FOIRequestDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="close-no-correction")
    def close_no_correction(self, request: Request, pk: str) -> Response:
        data = self._input(DateSerializer, request)
        call_service(
            services.close_for_no_correction, self._own(pk), actor=request.user, decided_date=data["date"]
        )
        return self._detail(request, pk)

    @extend_schema(
        summary="征求第三方或共同制作机关意见（暂停计时）",
        request=ConsultSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def consult(self, request: Request, pk: str) -> Response:
        data = self._input(ConsultSerializer, request)
        call_service(
            services.start_consultation,
            self._own(pk),
            actor=request.user,
            kind=data["kind"],
            party=data["party"],
            sent_date=data["date"],
        )
        return self._detail(request, pk)

    @extend_schema(
        summary="登记征求意见结果（恢复计时）",
        request=ConsultEndSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="consult-end")
    def consult_end(self, request: Request, pk: str) -> Response:
        data = self._input(ConsultEndSerializer, request)
        call_service(services.end_consultation, self._own(pk), actor=request.user, answered_date=data.get("date") or None,
              answer=data.get("answer", ""), no_answer=data.get("no_answer", False))  # fmt: skip
        return self._detail(request, pk)

    @extend_schema(
        summary="申请延期答复（条例第三十三条）",
        request=ExtensionSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def extension(self, request: Request, pk: str) -> Response:
        data = self._input(ExtensionSerializer, request)
        call_service(services.request_extension, self._own(pk), actor=request.user, days=data["days"], reason=data["reason"],
              request_date=data.get("date") or None)  # fmt: skip
        return self._detail(request, pk)

    @extend_schema(
        summary="审批延期（需审批人角色）",
        request=ExtensionDecisionSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="extension-decision")
    def extension_decision(self, request: Request, pk: str) -> Response:
        data = self._input(ExtensionDecisionSerializer, request)
        call_service(
            services.decide_extension,
            self._own(pk),
            actor=request.user,
            approve=data["approve"],
            decision_date=data.get("date") or None,
        )
        return self._detail(request, pk)

    @extend_schema(
        summary="发出收费通知（国办函〔2020〕109号）",
        request=FeeNoticeSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="fee-notice")
    def fee_notice(self, request: Request, pk: str) -> Response:
        data = self._input(FeeNoticeSerializer, request)
        call_service(services.send_fee_notice, self._own(pk), actor=request.user, standard=data["standard"], notice_date=data["date"],
              pages=data.get("pages"))  # fmt: skip
        return self._detail(request, pk)

    @extend_schema(summary="登记缴费", request=FeePaidSerializer, responses=FOIRequestDetailSerializer)
    @action(detail=True, methods=["post"], url_path="fee-paid")
    def fee_paid(self, request: Request, pk: str) -> Response:
        data = self._input(FeePaidSerializer, request)
        call_service(
            services.record_fee_payment,
            self._own(pk),
            actor=request.user,
            paid_date=data["date"],
            amount=data.get("amount"),
        )
        return self._detail(request, pk)

    @extend_schema(
        summary="逾期未缴费，终止处理", request=DateSerializer, responses=FOIRequestDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="close-unpaid")
    def close_unpaid(self, request: Request, pk: str) -> Response:
        data = self._input(DateSerializer, request)
        call_service(
            services.close_for_unpaid_fee, self._own(pk), actor=request.user, decided_date=data["date"]
        )
        return self._detail(request, pk)

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
        letter = call_service(
            services.prepare_reply,
            self._own(pk),
            actor=request.user,
            outcome=data["outcome"],
            reason=data.get("reason", ""),
        )
        if data.get("body"):
            letter = call_service(services.edit_letter, letter, actor=request.user, body=data["body"])
        return self._detail(request, pk)

    def _own_letter(self, pk: str, letter_id: str) -> FOILetter:
        return get_object_or_404(
            FOILetter.objects.select_related("request"), request=self._own(pk), pk=letter_id
        )

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
        data = self._input(LetterReviewSerializer, request)
        letter = call_service(services.review_letter, self._own_letter(pk, letter_id), actor=request.user,
                              approve=data["decision"] == "approve", note=data.get("note", ""))  # fmt: skip
        return Response(LetterReviewResultSerializer(letter).data)

    @extend_schema(
        summary="出具经审查通过的答复书（即作出答复决定）",
        request=DateSerializer,
        responses=FOIRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"letters/(?P<letter_id>[0-9]+)/issue")
    def issue_letter(self, request: Request, pk: str, letter_id: str) -> Response:
        data = self._input(DateSerializer, request)
        call_service(
            services.issue_reply,
            self._own_letter(pk, letter_id),
            actor=request.user,
            decided_date=data["date"],
        )
        return self._detail(request, pk)

    @extend_schema(summary="登记送达", request=DeliverySerializer, responses=FOIRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str) -> Response:
        data = self._input(DeliverySerializer, request)
        call_service(services.record_delivery, self._own(pk), actor=request.user, method=data["method"], delivery_date=data["date"],
              tracking_number=data.get("tracking_number", ""))  # fmt: skip
        return self._detail(request, pk)

    @extend_schema(summary="办结归档", request=None, responses=FOIRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str) -> Response:
        call_service(services.archive_request, self._own(pk), actor=request.user)
        return self._detail(request, pk)

    @extend_schema(
        summary="登记行政复议或行政诉讼", request=AppealInputSerializer, responses={201: AppealSerializer}
    )
    @action(detail=True, methods=["post"])
    def appeals(self, request: Request, pk: str) -> Response:
        data = self._input(AppealInputSerializer, request)
        appeal = call_service(services.add_appeal, self._own(pk), actor=request.user, kind=data["kind"], filed_date=data["date"],
                       case_number=data.get("case_number", ""), body=data.get("body", ""))  # fmt: skip
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="登记复议诉讼结果", request=AppealResultSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"], url_path="appeal-result")
    def appeal_result(self, request: Request, pk: str) -> Response:
        data = self._input(AppealResultSerializer, request)
        appeal = get_object_or_404(FOIAppeal.objects.filter(request=self._own(pk)), pk=data["appeal"])
        appeal = call_service(
            services.decide_appeal,
            appeal,
            actor=request.user,
            result=data["result"],
            decided_date=data["date"],
        )
        return Response(AppealSerializer(appeal).data)

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
            FOILetter.objects.filter(request=self._own(pk)).select_related("request__organisation"), pk=letter
        )
        response = HttpResponse(
            render_docx(item),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="{item.letter_number or item.pk}.docx"'
        return response
