"""Letter texts (one template per letter kind and per outcome) and their DOCX rendering (python-docx).

Staff edit the generated text before issuing; the issued text is frozen and the DOCX is rendered from
it, so the file always matches what the audit log recorded.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.text.clean import strip_controls

from .constants import LITIGATION_MONTHS, RECONSIDERATION_DAYS, ApplicantKind, LetterKind, Outcome
from .models import FOILetter, FOIRequest


def cn_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "____年__月__日"


# 条例 Art. 51; 行政复议法 Art. 20 (60 days); 行政诉讼法 Art. 46 (six months).
REMEDIES = (
    "如对本答复不服，可以自收到本答复之日起{days}日内依法向{body}申请行政复议，"
    "或者自收到本答复之日起{months}个月内依法向有管辖权的人民法院提起行政诉讼。"
)

REPLY_TEMPLATES: dict[str, str] = {
    Outcome.ALREADY_PUBLIC: (
        "经审查，您（单位）申请获取的政府信息已经主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，"
        "现告知获取该政府信息的方式和途径：{reason}"
    ),
    Outcome.DISCLOSED: (
        "经审查，您（单位）申请获取的政府信息属于公开范围。根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，"
        "现向您（单位）提供该政府信息（{form}）。{reason}"
    ),
    Outcome.PARTIAL: (
        "经审查，您（单位）申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。"
        "根据《中华人民共和国政府信息公开条例》第三十七条的规定，现向您（单位）提供可以公开的部分；对不予公开的部分，理由如下：{reason}"
    ),
    Outcome.WITHHELD_STATE_SECRET: (
        "经审查，您（单位）申请获取的政府信息依法确定为国家秘密。根据《中华人民共和国政府信息公开条例》第十四条、"
        "第三十六条第（三）项的规定，决定不予公开。{reason}"
    ),
    Outcome.WITHHELD_LAW_PROHIBITED: (
        "经审查，您（单位）申请获取的政府信息属于法律、行政法规禁止公开的政府信息。根据《中华人民共和国政府信息公开条例》"
        "第十四条、第三十六条第（三）项的规定，决定不予公开。理由：{reason}"
    ),
    Outcome.WITHHELD_SECURITY: (
        "经审查，您（单位）申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。"
        "根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，决定不予公开。理由：{reason}"
    ),
    Outcome.WITHHELD_THIRD_PARTY: (
        "经审查，您（单位）申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。"
        "根据《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项的规定，决定不予公开。理由：{reason}"
    ),
    Outcome.WITHHELD_INTERNAL: (
        "经审查，您（单位）申请获取的信息属于人事管理、后勤管理、内部工作流程等内部事务信息。"
        "根据《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项的规定，决定不予公开。理由：{reason}"
    ),
    Outcome.WITHHELD_PROCESS: (
        "经审查，您（单位）申请获取的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息。"
        "根据《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项的规定，决定不予公开。理由：{reason}"
    ),
    Outcome.WITHHELD_ENFORCEMENT: (
        "经审查，您（单位）申请获取的信息属于行政执法案卷信息。根据《中华人民共和国政府信息公开条例》第十六条第二款、"
        "第三十六条第（三）项的规定，决定不予公开。理由：{reason}"
    ),
    Outcome.WITHHELD_ADMIN_INQUIRY: (
        "经审查，您（单位）申请获取的信息属于工商、不动产登记资料等有关法律、行政法规对信息的获取有特别规定的事项。"
        "根据《中华人民共和国政府信息公开条例》第三十六条第（七）项的规定，请您（单位）按照有关法律、行政法规的规定办理：{reason}"
    ),
    Outcome.NOT_EXIST: (
        "经检索查找，本机关未制作或者获取您（单位）申请公开的政府信息。根据《中华人民共和国政府信息公开条例》"
        "第三十六条第（四）项的规定，告知您（单位）该政府信息不存在。{reason}"
    ),
    Outcome.NOT_THIS_ORGAN: (
        "经审查，您（单位）申请公开的政府信息不属于本机关负责公开。根据《中华人民共和国政府信息公开条例》"
        "第三十六条第（五）项的规定，予以告知：{reason}"
    ),
    Outcome.NEEDS_CREATION: (
        "经审查，本机关没有现成的您（单位）所申请的信息，需要对现有政府信息进行加工、分析方能形成。"
        "根据《中华人民共和国政府信息公开条例》第三十八条的规定，本机关不予提供。{reason}"
    ),
    Outcome.UNCLEAR_AFTER_CORRECTION: (
        "本机关已于{correction_notice_date}一次性告知您（单位）补正申请。经审查，补正后的申请内容仍不明确，"
        "本机关无法确定您（单位）所需的政府信息。根据《中华人民共和国政府信息公开条例》第三十条的规定，予以告知。{reason}"
    ),
    Outcome.PETITION: (
        "经审查，您（单位）以政府信息公开申请的形式进行信访、投诉、举报等活动。根据《中华人民共和国政府信息公开条例》"
        "第三十九条第一款的规定，本机关不作为政府信息公开申请处理，您（单位）可以通过相应渠道提出：{reason}"
    ),
    Outcome.REPEAT: (
        "经审查，您（单位）已就同一政府信息向本机关提出过公开申请，本机关已作出答复，您（单位）重复申请公开。"
        "根据《中华人民共和国政府信息公开条例》第三十六条第（六）项的规定，本机关不予重复处理。{reason}"
    ),
    Outcome.PUBLICATION: (
        "经审查，您（单位）申请获取的是政府公报、报刊、书籍等公开出版物。根据《中华人民共和国政府信息公开条例》"
        "第三十九条第二款的规定，告知您（单位）获取的途径：{reason}"
    ),
    Outcome.EXCESSIVE: (
        "经审查，您（单位）申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理。"
        "根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关不予处理。{reason}"
    ),
    Outcome.CONFIRMATION: (
        "经审查，您（单位）要求本机关确认或者重新出具已经获取的信息，不属于《中华人民共和国政府信息公开条例》"
        "规定的政府信息公开申请，本机关不予处理。{reason}"
    ),
    Outcome.NO_CORRECTION: (
        "本机关已于{correction_notice_date}一次性告知您（单位）补正申请，补正期限至{correction_due_date}。"
        "您（单位）无正当理由逾期未补正。根据《中华人民共和国政府信息公开条例》第三十条的规定，视为您（单位）放弃申请，"
        "本机关不再处理该政府信息公开申请。"
    ),
    Outcome.FEE_UNPAID: (
        "本机关已于{fee_notice_date}向您（单位）发出收费通知，您（单位）于{fee_notice_delivered_date}收到该通知，"
        "缴费期限（自收到通知次日起20个工作日）至{fee_due_date}。您（单位）逾期未缴纳信息处理费。"
        "根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，视为放弃申请，本机关不再处理该政府信息公开申请。"
    ),
    Outcome.OTHER: "经审查，现就您（单位）的政府信息公开申请答复如下：{reason}",
}


def _organisation_name(request: FOIRequest) -> str:
    return request.organisation.name


def _context(request: FOIRequest, **extra: Any) -> dict[str, Any]:
    ctx = {
        "applicant": request.applicant_name,
        "received_date": cn_date(request.received_date),
        "number": request.number,
        "description": request.description[:200],
        "form": request.get_info_form_display(),
        "correction_notice_date": cn_date(request.correction_notice_date),
        "correction_due_date": cn_date(request.correction_due_date),
        "fee_notice_date": cn_date(request.fee_notice_date),
        "fee_notice_delivered_date": cn_date(request.fee_notice_delivered_date),
        "fee_due_date": cn_date(request.fee_due_date),
        "reason": "",
    }
    ctx.update(extra)
    return ctx


def _addressed(request: FOIRequest, text: str) -> str:
    """“您” to a person, “贵单位” to a legal person or other organisation, never “您（单位）”."""
    you = "您" if request.applicant_kind == ApplicantKind.PERSON else "贵单位"
    return text.replace("您（单位）", you)


def _quoted(text: str, limit: int) -> str:
    """The applicant's words inside “…”: cut at `limit` with an ellipsis, without the final stop,
    so the sentence does not end in “。”。."""
    text = " ".join(text.split())
    if len(text) > limit:
        return text[:limit].rstrip("，,、；;：: ") + "……"
    return text.rstrip("。.；;，,、 ")


def _opening(request: FOIRequest) -> str:
    # 条例 Art. 30: after a 补正 the reply period runs from the day the corrected application arrived
    corrected = (
        f"，并于{cn_date(request.correction_received_date)}收到补正后的申请"
        if request.correction_received_date
        else ""
    )
    return (
        f"本机关于{cn_date(request.received_date)}收到您（单位）提出的政府信息公开申请（申请编号：{request.number}）"
        f"{corrected}，申请获取“{_quoted(request.description, 120)}”。"
    )


def reply_text(request: FOIRequest, outcome: str, reason: str = "") -> str:
    body = REPLY_TEMPLATES[outcome].format(**_context(request, reason=reason.strip()))
    remedies = REMEDIES.format(
        days=RECONSIDERATION_DAYS,
        months=LITIGATION_MONTHS,
        body=getattr(settings, "FOI_RECONSIDERATION_BODY", "") or "本机关的行政复议机关",
    )
    return _addressed(request, "\n".join([_opening(request), body.strip(), remedies, "特此告知。"]))


def correction_text(request: FOIRequest, items: str, due: dt.date) -> str:
    # 条例 Art. 30
    return _addressed(
        request,
        "\n".join(
            [
                _opening(request),
                "经审查，您（单位）的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，"
                "现一次性告知您（单位）需要补正的事项如下：",
                items.strip(),
                f"请于{cn_date(due)}前补正。答复期限自本机关收到补正后的申请之日起计算。"
                "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
            ]
        ),
    )


def consultation_text(request: FOIRequest, kind_label: str, due: dt.date | None) -> str:
    # 条例 Arts. 32, 34: the 15 working days run from the day the party receives the letter; the date
    # is printed only when the delivery is already known (e.g. handed over on the day it is issued)
    until = f"（即{cn_date(due)}前）" if due else ""
    return "\n".join(
        [
            f"本机关收到一份政府信息公开申请（申请编号：{request.number}），申请公开的政府信息可能涉及贵方，"
            f"现依据《中华人民共和国政府信息公开条例》{kind_label}的规定征求意见。",
            f"申请公开的内容：{request.description[:300]}",
            f"请自收到本函之日起15个工作日内{until}书面提出意见。逾期未提出意见的，"
            "本机关将依照《中华人民共和国政府信息公开条例》的规定决定是否公开。",
        ]
    )


def extension_text(request: FOIRequest, days: int, new_due: dt.date | None, reason: str) -> str:
    # 条例 Art. 33 ¶2
    due_text = f"，延长后的答复期限至{cn_date(new_due)}" if new_due else ""
    return _addressed(
        request,
        "\n".join(
            [
                _opening(request),
                f"因{reason.strip() or '需要延长答复期限'}，经本机关政府信息公开工作机构负责人同意，"
                f"根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，答复期限延长{days}个工作日{due_text}。",
                "特此告知。",
            ]
        ),
    )


def fee_text(
    request: FOIRequest, standard_label: str, quantity: int, amount: str, due: dt.date | None
) -> str:
    # 条例 Art. 42; 国办函〔2020〕109号: 20 working days counted from the day after the notice is received;
    # the date is printed only when the delivery is already known
    until = f"（即{cn_date(due)}前）" if due else ""
    return _addressed(
        request,
        "\n".join(
            [
                _opening(request),
                "根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
                f"您（单位）的申请需缴纳信息处理费。计收标准：{standard_label}（计费数量：{quantity}），金额：人民币{amount}元。",
                f"请自收到本通知次日起20个工作日内{until}缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该申请。",
            ]
        ),
    )


LETTER_TITLES = {
    LetterKind.CORRECTION_NOTICE: "补正政府信息公开申请告知书",
    LetterKind.CONSULTATION: "政府信息公开征求意见函",
    LetterKind.EXTENSION_NOTICE: "政府信息公开申请延期答复告知书",
    LetterKind.FEE_NOTICE: "政府信息公开信息处理费收费通知书",
    LetterKind.REPLY: "政府信息公开申请答复书",
}


def render_docx(letter: FOILetter) -> bytes:
    """The letter as a DOCX (仿宋 body, 小标宋-style bold title) built from its current text.

    Every text is stripped of control characters first: XML cannot carry them, and a letter stored
    before input was cleaned must still render (issue 11)."""
    request = letter.request
    safe = strip_controls
    doc = DocxDocument()
    style = doc.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(safe(letter.title))
    run.bold = True
    run.font.size = Pt(22)
    if letter.letter_number:
        number = doc.add_paragraph(safe(letter.letter_number))
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"{safe(letter.addressee)}：")
    for line in safe(letter.body).splitlines():
        if line.strip():
            paragraph = doc.add_paragraph(line.strip())
            paragraph.paragraph_format.first_line_indent = Pt(32)
    doc.add_paragraph("")
    for text in (_organisation_name(request), cn_date(letter.issued_date)):
        paragraph = doc.add_paragraph(safe(text))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
