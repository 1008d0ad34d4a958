"""政府开放活动, 政策沟通会, 新闻发布会, 政策公开讲 with sign-up; 列席 of public representatives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStamped

from ..constants import EventKind, RegistrationStatus, RepresentativeKind


class Event(TimeStamped):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=EventKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    description = models.TextField(_("活动介绍"), blank=True)
    venue = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"), help_text=_("0 表示不需报名。"))
    waitlist_size = models.PositiveIntegerField(
        _("候补名额"), null=True, blank=True, help_text=_("不填则与名额相同；0 表示不设候补。")
    )
    signup_closes_at = models.DateTimeField(_("报名截止时间"), null=True, blank=True)
    linked_documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("相关政策文件")
    )
    feedback_survey = models.ForeignKey(
        "participation.Survey",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("活动反馈问卷"),
    )
    is_sample = models.BooleanField(_("示例"), default=False)
    is_published = models.BooleanField(_("已发布"), default=False)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def waitlist_limit(self) -> int:
        return self.capacity if self.waitlist_size is None else self.waitlist_size


def material_path(instance: EventMaterial, filename: str) -> str:
    return f"participation/events/{instance.event_id}/{filename}"


class EventMaterial(TimeStamped):
    """Courseware and handouts of an event (课件), served only while the event is published."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("标题"), max_length=200)
    file = models.FileField(_("文件"), upload_to=material_path, max_length=300)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Registration(TimeStamped):
    """A sign-up: a seat (confirmed) or a place on the waiting list; the check-in code opens the door."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    name = models.CharField(_("姓名"), max_length=40)  # never shown publicly
    contact = models.CharField(_("联系方式"), max_length=120)  # never shown publicly
    contact_key = models.CharField(max_length=64)  # normalised contact, hashed: one sign-up per person
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=RegistrationStatus.choices)
    code = models.CharField(_("签到码"), max_length=12, unique=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "contact_key"],
                condition=~models.Q(status="cancelled"),
                name="one_registration_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.code}"


class Attendance(TimeStamped):
    """A public representative invited to attend a government meeting (列席, work plan 二十一)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("会议召开单位")
    )
    meeting_title = models.CharField(_("会议名称"), max_length=200)
    meeting_date = models.DateField(_("会议日期"))
    item = models.ForeignKey(
        "participation.DecisionItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
        verbose_name=_("涉及决策事项"),
    )
    representative_name = models.CharField(_("代表姓名"), max_length=40)  # staff only
    representative_kind = models.CharField(_("代表类别"), max_length=12, choices=RepresentativeKind.choices)
    invited_on = models.DateField(_("邀请日期"))
    attended = models.BooleanField(_("实际列席"), null=True, blank=True)  # None: not recorded yet
    remarks = models.TextField(_("发言要点"), blank=True)

    class Meta:
        verbose_name = _("公众代表列席")
        verbose_name_plural = _("公众代表列席")
        ordering = ["-meeting_date", "id"]

    def __str__(self) -> str:
        return f"{self.meeting_title}（{self.meeting_date}）"
