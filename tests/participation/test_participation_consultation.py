"""意见征集 (国务院令第713号 Arts. 15, 18, 29; work plan 二十一/二十二): what citizens and staff must see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.participation import services
from gongkai.participation.models import Comment, Consultation
from gongkai.participation.tasks import send_report_reminders
from participation_helpers import at, open_consultation

pytestmark = pytest.mark.django_db


def test_a_period_shorter_than_30_days_needs_a_published_reason(editor):
    with at("2026-08-20"):
        with pytest.raises(ValidationError) as error:
            open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-17")  # 29 days
        assert "少于30日" in str(error.value.message_dict["short_period_reason"])
        assert not Consultation.objects.exists()  # bad input changes nothing

        thirty = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-18")
        assert thirty.period_days == 30
        short = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-08-29",
                                  short_period_reason="台风过后急需出台，依第十五条缩短期限")  # fmt: skip
    page = Client().get(f"/participation/consultations/{short.pk}/").content.decode()
    assert "台风过后急需出台" in page and "共10日" in page


def test_publication_cannot_start_the_period_in_the_past(editor):
    with at("2026-08-20"):
        draft = open_consultation(editor, opens_on="2026-08-19", closes_on="2026-09-30", publish=False)
        with pytest.raises(ValidationError) as error:
            services.publish_consultation(draft, actor=editor)
        assert "从草案公开之日起算" in str(error.value)
        draft.refresh_from_db()
        assert draft.status == "draft"


def test_articles_are_parsed_and_a_comment_on_article_three_stays_private_until_moderated(editor):
    with at("2026-08-20"):
        consultation = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-18")
    assert [a["label"] for a in consultation.articles] == ["第一条", "第二条", "第三条", "第四条"]
    client = Client()
    with at("2026-08-25"):
        page = client.get(f"/participation/consultations/{consultation.pk}/?article=3").content.decode()
        assert 'id="article-3"' in page and "对第三条提出意见" in page
        response = client.post(f"/participation/consultations/{consultation.pk}/", {
            "article_number": "3", "body": "奖励标准应当在措施中写明。<script>alert(1)</script>我的电话13812345678",
            "display_name": "老王", "contact": "wang@example.org",
        })  # fmt: skip
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (
        comment.article_number == 3 and comment.article_label == "第三条" and comment.moderation == "pending"
    )
    page = client.get(f"/participation/consultations/{consultation.pk}/").content.decode()
    assert "奖励标准应当在措施中写明" not in page  # not public before moderation

    services.moderate_comment(comment, actor=editor, publish=True)
    page = client.get(f"/participation/consultations/{consultation.pk}/").content.decode()
    assert "奖励标准应当在措施中写明" in page and "老王 · 第三条" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page  # escaped, never run
    assert "13812345678" not in page and "138****5678" in page  # personal data masked on publication
    assert "wang@example.org" not in page  # contact never public


def test_a_comment_after_the_period_is_refused_and_nothing_is_stored(editor):
    with at("2026-08-20"):
        consultation = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-18")
    with at("2026-09-19"):
        response = Client().post(f"/participation/consultations/{consultation.pk}/", {"body": "晚到的意见"})
        with pytest.raises(ValidationError):
            services.submit_comment(consultation, body="晚到的意见")
    assert response.status_code == 200 or response.status_code == 400
    assert Comment.objects.count() == 0


def test_a_late_post_gets_a_chinese_error_on_the_page(editor):
    with at("2026-08-20"):
        consultation = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-18")
        client = Client()
        page = client.get(f"/participation/consultations/{consultation.pk}/")  # the form was on screen
    with at("2026-09-19"):
        response = client.post(f"/participation/consultations/{consultation.pk}/", {"body": "晚到的意见"})
    assert page.status_code == 200 and response.status_code == 400
    assert "意见征集已于" in response.content.decode()


def test_comments_are_rate_limited_per_address(editor, settings):
    settings.PARTICIPATION_COMMENT_RATE_PER_HOUR = 2
    with at("2026-08-20"):
        consultation = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-18")
        client = Client(REMOTE_ADDR="203.0.113.7")
        codes = [client.post(f"/participation/consultations/{consultation.pk}/", {"body": f"意见{i}"}).status_code
                 for i in range(3)]  # fmt: skip
    assert codes == [302, 302, 429]
    assert Comment.objects.count() == 2


def test_not_adopting_needs_a_reason(editor):
    with at("2026-08-20"):
        consultation = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-18")
        comment = services.submit_comment(consultation, body="建议取消第三条")
        with pytest.raises(ValidationError) as error:
            services.decide_adoption(comment, actor=editor, adoption="not_adopted")
        assert "adoption_reason" in error.value.message_dict
    comment.refresh_from_db()
    assert comment.adoption == ""


def test_an_enterprise_policy_is_not_ready_for_the_meeting_without_the_invited_opinions(editor):
    with at("2026-08-20"):
        consultation = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-18",
                                         concerns_enterprises=True)  # fmt: skip
        party, token = services.invite_party(consultation, actor=editor, name="示例商会", kind="association")
    with at("2026-09-21"):
        with pytest.raises(ValidationError) as error:
            services.mark_ready_for_meeting(consultation, actor=editor)
        assert "示例商会" in str(error.value)
        # The association answers through its own link, without an account.
        response = Client().post(
            f"/participation/invited/{token}/", {"article_number": "3", "body": "奖励门槛过高。"}
        )
        assert response.status_code == 302
        opinion = party.comments.get()
        with pytest.raises(ValidationError) as error:
            services.mark_ready_for_meeting(consultation, actor=editor)
        assert "未记录采纳情况" in str(error.value)
        services.decide_adoption(opinion, actor=editor, adoption="partly", reason="门槛改由实施细则规定。")
        ready = services.mark_ready_for_meeting(consultation, actor=editor)
    assert ready.ready_for_meeting_at is not None
    assert Client().get("/participation/invited/not-a-token/").status_code == 404


def test_the_adoption_report_is_due_ten_working_days_after_the_decision_and_counts_must_add_up(editor):
    with at("2026-08-20"):
        consultation = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-18")
        comments = [
            services.submit_comment(consultation, body=f"意见{i}", article_number=3) for i in range(4)
        ]
    with at("2026-09-28"):
        for comment, (adoption, reason) in zip(comments, [("adopted", ""), ("partly", "部分采纳"),
                                                          ("not_adopted", "于法无据"), ("not_adopted", "于法无据")], strict=False):  # fmt: skip
            services.decide_adoption(comment, actor=editor, adoption=adoption, reason=reason)
        consultation = services.record_decision_publication(consultation, actor=editor, published_on="2026-09-28",
                                                             decision_title="关于示例事项的若干措施")  # fmt: skip
    # 29 Sep, 30 Sep, (1–7 Oct National Day), 8, 9, Sat 10 Oct (调休 working day), 12, 13, 14, 15, 16 Oct.
    assert consultation.report_due_on == dt.date(2026, 10, 16)
    with at("2026-10-12"):
        with pytest.raises(ValidationError) as error:
            services.save_report(consultation, actor=editor, received=5, adopted=1, partly=1, not_adopted=2,
                                 summary="共收到5条。")  # fmt: skip
        assert "数字应当相符" in str(error.value)
        with pytest.raises(ValidationError) as error:
            services.save_report(consultation, actor=editor, received=3, adopted=1, partly=1, not_adopted=1,
                                 summary="共收到3条。")  # fmt: skip
        assert "少于平台已记录" in str(error.value)
        with pytest.raises(ValidationError):  # a concentrated opinion not adopted needs its reason (二十二)
            services.save_report(consultation, actor=editor, received=4, adopted=1, partly=1, not_adopted=2,
                                 summary="共收到4条。", concentrated=[{"summary": "删除第三条", "count": 2,
                                                                    "adoption": "not_adopted", "reason": ""}])  # fmt: skip
        report = services.save_report(consultation, actor=editor, received=4, adopted=1, partly=1, not_adopted=2,
                                      summary="共收到4条意见。", concentrated=[{"summary": "删除第三条", "count": 2,
                                      "adoption": "not_adopted", "reason": "奖励是本措施的核心内容。"}])  # fmt: skip
        services.publish_report(report, actor=editor)
    page = Client().get(f"/participation/consultations/{consultation.pk}/").content.decode()
    assert "意见采纳情况" in page and "奖励是本措施的核心内容" in page
    counts = page.split('id="report-counts"')[1].split("</table>")[0]
    assert [cell.split(">")[-1] for cell in counts.split("</td>")[:4]] == ["4", "1", "1", "2"]


def test_due_colouring_and_reminders(editor, client):
    editor.email = "editor@example.gov.cn"
    editor.save()
    with at("2026-08-20"):
        consultation = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-18")
    with at("2026-09-28"):
        services.record_decision_publication(
            consultation, actor=editor, published_on="2026-09-28", decision_title="措施"
        )
    with at("2026-10-09"):  # 8 working days left: no colour, no mail
        client.force_login(editor)
        assert 'class="u-ok"' in client.get("/participation/staff/").content.decode()
        assert send_report_reminders() == 0
    with at("2026-10-13"):  # 3 left
        client.force_login(editor)
        assert 'class="u-soon"' in client.get("/participation/staff/").content.decode()
        assert send_report_reminders() == 1
        assert send_report_reminders() == 0  # once a day
    with at("2026-10-19"):
        client.force_login(editor)
        page = client.get("/participation/staff/").content.decode()
        assert 'class="u-overdue"' in page and "已超期1个工作日" in page
        assert send_report_reminders() == 1
    assert "2026-10-16" in mail.outbox[-1].body and mail.outbox[-1].to == ["editor@example.gov.cn"]


def test_staff_of_another_organisation_cannot_touch_a_consultation(editor, make_user, other_org, client):
    from gongkai.accounts.constants import Role

    with at("2026-08-20"):
        consultation = open_consultation(editor, opens_on="2026-08-20", closes_on="2026-09-18")
        comment = services.submit_comment(consultation, body="意见")
    stranger = make_user("edu-editor", other_org, Role.EDITOR)
    client.force_login(stranger)
    assert client.get(f"/participation/staff/consultations/{consultation.pk}/").status_code == 404
    with pytest.raises(Exception) as error:
        services.moderate_comment(comment, actor=stranger, publish=True)
    assert "其他单位" in str(error.value)
