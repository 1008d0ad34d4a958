"""Field checks for applications (条例 Art. 29): each error names its field, in Chinese."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from gongkai.text.clean import strip_controls

from .constants import ApplicantKind, Channel, DeliveryMethod, IdType, InfoForm

APPLICANT_FIELDS = (
    "applicant_kind", "applicant_name", "id_type", "id_number", "credit_code", "contact_person", "phone",
    "email", "address", "postcode",
)  # fmt: skip
CONTENT_FIELDS = ("description", "known_titles", "purpose", "info_form", "delivery_method")

_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")


def clean_applicant(data: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the applicant block; raise one ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    out = {key: strip_controls(str(data.get(key) or "")).strip() for key in APPLICANT_FIELDS}
    kind = out["applicant_kind"]
    if kind not in ApplicantKind.values:
        errors["applicant_kind"] = _("请选择申请人类型。")
    if not out["applicant_name"]:
        errors["applicant_name"] = _("申请人姓名或名称不能为空。")
    elif len(out["applicant_name"]) > 200:
        errors["applicant_name"] = _("申请人姓名或名称不能超过200个字。")
    if kind == ApplicantKind.PERSON:
        out["credit_code"] = ""
        if out["id_type"] not in IdType.values:
            errors["id_type"] = _("请选择身份证件类型。")
        if not out["id_number"]:
            errors["id_number"] = _("身份证件号码不能为空。")
        elif out["id_type"] == IdType.RESIDENT_ID:
            try:  # GB 11643 check digit
                out["id_number"] = ric.validate(out["id_number"].upper())
            except StdnumError:
                errors["id_number"] = _("身份证号码“%(value)s”无效，请核对（校验位不符或出生日期有误）。") % {
                    "value": out["id_number"]
                }
    elif kind:
        out["id_type"] = out["id_number"] = ""
        if not out["credit_code"]:
            errors["credit_code"] = _("法人或其他组织须填写统一社会信用代码。")
        else:
            try:  # GB 32100 check character
                out["credit_code"] = uscc.validate(out["credit_code"].upper())
            except StdnumError:
                errors["credit_code"] = _("统一社会信用代码“%(value)s”无效，请核对。") % {
                    "value": out["credit_code"]
                }
        if not out["contact_person"]:
            errors["contact_person"] = _("法人或其他组织须填写联系人。")
    if not (out["phone"] or out["email"] or out["address"]):
        errors["phone"] = _("联系方式不能为空：请至少填写联系电话、电子邮箱或通信地址之一。")
    if out["phone"] and not _PHONE.match(out["phone"]):
        errors["phone"] = _("联系电话“%(value)s”格式不正确。") % {"value": out["phone"]}
    if out["email"]:
        try:
            validate_email(out["email"])
        except ValidationError:
            errors["email"] = _("电子邮箱“%(value)s”格式不正确。") % {"value": out["email"]}
    if out["postcode"] and not re.fullmatch(r"\d{6}", out["postcode"]):
        errors["postcode"] = _("邮政编码应为6位数字。")
    if errors:
        raise ValidationError(errors)
    return out


def clean_content(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = {key: strip_controls(str(data.get(key) or "")).strip() for key in CONTENT_FIELDS}
    if not out["description"]:
        errors["description"] = _("所需信息的内容描述不能为空（条例第二十九条）。")
    elif len(out["description"]) > 5000:
        errors["description"] = _("所需信息的内容描述不能超过5000字。")
    if len(out["known_titles"]) > 500:
        errors["known_titles"] = _("信息名称或文号不能超过500字。")
    if len(out["purpose"]) > 300:
        errors["purpose"] = _("用途说明不能超过300字。")
    out["info_form"] = out["info_form"] or InfoForm.ELECTRONIC
    if out["info_form"] not in InfoForm.values:
        errors["info_form"] = _("请选择信息的提供形式。")
    out["delivery_method"] = out["delivery_method"] or DeliveryMethod.EMAIL
    if out["delivery_method"] not in DeliveryMethod.values:
        errors["delivery_method"] = _("请选择获取信息的方式。")
    if errors:
        raise ValidationError(errors)
    return out


def clean_contact(data: dict[str, Any]) -> None:
    """The address the chosen way of receiving the information needs (条例 Art. 29 (三))."""
    errors: dict[str, str] = {}
    method = data.get("delivery_method") or DeliveryMethod.EMAIL
    if method == DeliveryMethod.EMAIL and not str(data.get("email") or "").strip():
        errors["email"] = _("选择以电子邮件获取信息时，电子邮箱不能为空。")
    if method == DeliveryMethod.POST and not str(data.get("address") or "").strip():
        errors["address"] = _("选择邮寄获取信息时，通信地址不能为空。")
    if errors:
        raise ValidationError(errors)


def clean_channel(value: Any) -> str:
    if value not in Channel.values:
        raise ValidationError({"channel": _("请选择申请方式。")})
    return str(value)
