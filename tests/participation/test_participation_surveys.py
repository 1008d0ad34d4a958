"""Surveys (one response per person as far as the web allows, charts, exports) and solicitations."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from gongkai.participation import services
from gongkai.participation.models import Response
from gongkai.text.articles import article_label, split_articles
from participation_helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(editor):
    with at("2026-06-01"):
        survey = services.create_survey(actor=editor, organisation=editor.organisation, title="满意度调查",
                                        opens_on="2026-06-01", closes_on="2026-06-30")  # fmt: skip
        services.add_question(
            survey, actor=editor, kind="single", text="获取渠道", options="网站\n热线\n公告栏"
        )
        services.add_question(
            survey, actor=editor, kind="multiple", text="关注内容", options=["政策", "民生", "规划"]
        )
        services.add_question(survey, actor=editor, kind="scale", text="满意度", scale_min=1, scale_max=5)
        services.add_question(survey, actor=editor, kind="text", text="其他建议", required=False)
        return services.publish_survey(survey, actor=editor)


def answers(survey, single="0", multiple=("0", "1"), scale="4", text=""):
    q = list(survey.questions.all())
    return {
        q[0].field_name: single,
        q[1].field_name: list(multiple),
        q[2].field_name: scale,
        q[3].field_name: text,
    }


def test_one_response_per_browser_and_a_clear_error_on_the_second(survey):
    client = Client()
    with at("2026-06-02"):
        client.get(f"/participation/surveys/{survey.pk}/")  # sets the signed participant cookie
        assert client.post(f"/participation/surveys/{survey.pk}/", answers(survey)).status_code == 302
        again = client.post(f"/participation/surveys/{survey.pk}/", answers(survey, single="1"))
    assert again.status_code == 400 and "您已参与过本次调查" in again.content.decode()
    assert Response.objects.count() == 1
    assert "您已参与过本次调查" in client.get(f"/participation/surveys/{survey.pk}/").content.decode()


def test_a_forged_cookie_counts_as_none_and_the_address_limit_holds(survey, settings):
    settings.PARTICIPATION_SURVEY_RATE_PER_HOUR = 3
    with at("2026-06-02"):
        codes = []
        for _ in range(4):  # a new browser (no cookie) each time: only the address limit stops it
            client = Client(REMOTE_ADDR="198.51.100.9")
            client.cookies["gk_participant"] = "forged-value"
            codes.append(client.post(f"/participation/surveys/{survey.pk}/", answers(survey)).status_code)
    assert codes == [302, 302, 302, 429]


def test_a_logged_in_user_answers_once_whatever_the_browser(survey, editor):
    with at("2026-06-02"):
        services.submit_response(survey, participant_key="k1", answers=answers(survey), user=editor)
        first, second = Client(), Client()
        first.force_login(editor)
        second.force_login(editor)
        first.post(f"/participation/surveys/{survey.pk}/", answers(survey))
        assert Response.objects.count() == 2  # k1 was a different key; the account's key is new
        response = second.post(f"/participation/surveys/{survey.pk}/", answers(survey))
    assert response.status_code == 400 and Response.objects.count() == 2


def test_bad_answers_and_a_closed_survey_store_nothing(survey):
    with at("2026-06-02"):
        with pytest.raises(ValidationError):
            services.submit_response(survey, participant_key="a", answers=answers(survey, single="7"))
        with pytest.raises(ValidationError):
            services.submit_response(survey, participant_key="a", answers=answers(survey, scale="9"))
        with pytest.raises(ValidationError):
            services.submit_response(survey, participant_key="a", answers=answers(survey, single=""))
    with at("2026-07-01"):
        with pytest.raises(ValidationError) as error:
            services.submit_response(survey, participant_key="a", answers=answers(survey))
        assert "调查已于" in str(error.value)
    assert Response.objects.count() == 0


def test_results_show_as_an_accessible_chart_with_the_data_table(survey):
    with at("2026-06-02"):
        for n, (single, scale) in enumerate([("0", "5"), ("0", "4"), ("1", "3")]):
            services.submit_response(
                survey, participant_key=f"p{n}", answers=answers(survey, single=single, scale=scale)
            )
    page = Client().get(f"/participation/surveys/{survey.pk}/results/").content.decode()
    assert "共收到答卷 3 份" in page
    assert page.count('<svg class="p-chart" role="img"') == 3  # single, multiple, scale
    first = page.split("<svg", 1)[1].split("</svg>")[0]
    assert "<title" in first and "获取渠道" in first and ">2（67%）<" in first and ">1（33%）<" in first
    table = page.split("</svg>", 1)[1].split("</table>")[0]
    assert '<th scope="row">网站</th><td class="p-num">2</td><td class="p-num">67%</td>' in table.replace(
        "\n", ""
    )
    assert "平均分：4.0" in page
    # the chart needs no script: the only one is the site's own reading controls (issue 19)
    assert page.replace('<script src="/static/gongkai/portal.js"></script>', "").count("<script") == 0


def test_exports_for_staff_only_and_safe_in_a_spreadsheet(survey, editor, client):
    with at("2026-06-02"):
        services.submit_response(survey, participant_key="p", answers=answers(survey, text='=HYPERLINK("x")'))
    assert (
        client.get(f"/participation/staff/surveys/{survey.pk}/export.csv").status_code == 302
    )  # login first
    client.force_login(editor)
    rows = list(csv.reader(io.StringIO(client.get(f"/participation/staff/surveys/{survey.pk}/export.csv")
                                       .content.decode("utf-8-sig"))))  # fmt: skip
    assert rows[0][2:] == ["1. 获取渠道", "2. 关注内容", "3. 满意度", "4. 其他建议"]
    assert rows[1][2:] == ["网站", "政策；民生", "4", '\'=HYPERLINK("x")']
    workbook = load_workbook(
        io.BytesIO(client.get(f"/participation/staff/surveys/{survey.pk}/export.xlsx").content)
    )
    assert workbook["答卷"]["E2"].value == 4 and workbook["答卷"]["F2"].value.startswith("'=")
    assert "统计" in workbook.sheetnames
    found = client.get(f"/participation/staff/surveys/{survey.pk}/?q=hyperlink").content.decode()
    assert "HYPERLINK" in found


def test_proposals_are_moderated_voted_once_and_answered(editor):
    with at("2026-06-01"):
        solicitation = services.create_solicitation(actor=editor, organisation=editor.organisation, kind="project",
                                                    title="实事项目征集", opens_on="2026-06-01", closes_on="2026-06-30",
                                                    publish=True)  # fmt: skip
        client = Client()
        client.post(f"/participation/solicitations/{solicitation.pk}/",
                    {"title": "增设食堂", "body": "请联系我 13912345678", "contact": "me@example.org"})  # fmt: skip
        proposal = solicitation.proposals.get()
        assert (
            "增设食堂" not in client.get(f"/participation/solicitations/{solicitation.pk}/").content.decode()
        )
        services.moderate_proposal(proposal, actor=editor, publish=True)
        url = f"/participation/solicitations/{solicitation.pk}/proposals/{proposal.pk}/vote/"
        client.post(url)
        second = client.post(url)
        assert "您已支持过" in client.get(second["Location"]).content.decode()
        Client().post(url)
        services.answer_proposal(proposal, actor=editor, answer="已纳入明年计划研究。")
    proposal.refresh_from_db()
    assert proposal.vote_count == 2
    page = Client().get(f"/participation/solicitations/{solicitation.pk}/").content.decode()
    assert "已纳入明年计划研究" in page and "139****5678" in page and "me@example.org" not in page


def test_articles_are_split_on_their_headings():
    text = (
        "总则\n第一章 总则\n第一条 目的。\n第二条　范围。\n第二章 附则\n第十二条 施行。\n第十二条之一 补充。"
    )
    articles = split_articles(text)
    assert [(a.number, a.label, a.text) for a in articles] == [
        (1, "第一条", "目的。"), (2, "第二条", "范围。"), (12, "第十二条", "施行。"), (None, "第十二条之一", "补充。")
    ]  # fmt: skip
    assert [article_label(n) for n in (3, 10, 11, 20, 101, 110)] == [
        "第三条",
        "第十条",
        "第十一条",
        "第二十条",
        "第一百零一条",
        "第一百一十条",
    ]
