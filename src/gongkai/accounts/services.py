"""Accounts writes (rule 1): organisations (create one, import many from a file), staff role
grants with separation of duties, and two-factor devices; each is an audit event.

`actor=None` is the system: the command line run by whoever administers the server
(`gongkai organisations import`, `gongkai import --create-organisations`). A user passed as actor
must be a platform administrator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.services import record_event

from .constants import OrganisationKind, Role
from .models import Organisation, User
from .orgfile import Row
from .permissions import require_role
from .roles import roles_conflict
from .twofactor import confirmed_device, pending_device

_LIMITS = {"code": 40, "name": 120, "short_name": 60, "organ_code": 30, "extra_organ_codes": 200,
           "index_prefix": 30}  # fmt: skip
_LABELS = {"code": gettext_lazy("代码"), "name": gettext_lazy("名称"), "short_name": gettext_lazy("简称"),
           "organ_code": gettext_lazy("机关代字"), "extra_organ_codes": gettext_lazy("其他机关代字"),
           "index_prefix": gettext_lazy("索引号前缀")}  # fmt: skip
_FIELDS = ("name", "short_name", "organ_code", "extra_organ_codes", "kind", "index_prefix", "sort_order")


def _check_actor(actor: Any, action: str) -> None:
    if actor is None:  # the system: the command line on the server
        return
    if not getattr(actor, "is_authenticated", False) or not actor.is_platform_admin:
        raise PermissionDenied(
            _("%(action)s需要“%(role)s”角色。") % {"action": action, "role": Role.PLATFORM_ADMIN.label}
        )


def _snapshot(organisation: Organisation) -> dict[str, Any]:
    data = {name: getattr(organisation, name) for name in _FIELDS}
    data["parent"] = organisation.parent.code if organisation.parent_id else ""
    return data


@transaction.atomic
def create_organisation(
    *, actor: Any, code: str, name: str, kind: str = OrganisationKind.DEPARTMENT, short_name: str = "",
    organ_code: str = "", extra_organ_codes: str = "", parent: Organisation | None = None,
    index_prefix: str = "", sort_order: int = 100, accepts_requests: bool = False,
) -> Organisation:  # fmt: skip
    """Create one organisation; ValidationError keyed by field when a value is wrong or taken."""
    _check_actor(actor, _("新建机构"))
    organisation = Organisation(code=code, name=name, kind=kind, short_name=short_name, organ_code=organ_code,
                                extra_organ_codes=extra_organ_codes, parent=parent, index_prefix=index_prefix,
                                sort_order=sort_order, accepts_requests=accepts_requests)  # fmt: skip
    organisation.full_clean()
    organisation.save()
    record_event("accounts.organisation_created", actor=actor, target=organisation, organisation=organisation,
                 data=_snapshot(organisation))  # fmt: skip
    return organisation


@dataclass
class OrganisationImport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, key: str, line: int, message: str) -> None:
        self.by_field.setdefault(key, []).append(
            _("第%(line)d行：%(message)s") % {"line": line, "message": message}
        )


def _kind(value: Any) -> str | None:
    text = str(value).strip()
    for choice, label in OrganisationKind.choices:
        if text in (choice, str(label)):
            return choice
    return None


def _clean_row(line: int, row: dict[str, Any], errors: _Errors) -> dict[str, Any]:
    """Strip, check required values, lengths, slug, kind and sort order; record every problem."""
    values = {key: str(value).strip() if key != "sort_order" else value for key, value in row.items()}
    for key in ("code", "name"):
        if not values.get(key):
            errors.add(key, line, _("%(field)s不能为空。") % {"field": _LABELS[key]})
    for key, limit in _LIMITS.items():
        if len(values.get(key) or "") > limit:
            errors.add(
                key, line, _("%(field)s不能超过%(limit)d个字。") % {"field": _LABELS[key], "limit": limit}
            )
    if values.get("code"):
        try:
            validate_slug(values["code"])
        except ValidationError:
            errors.add("code", line, _("代码“%(code)s”只能包含英文字母、数字、连字符和下划线。") % values)
    if values.get("kind"):
        kind = _kind(values["kind"])
        if kind is None:
            choices = "、".join(f"{c}（{label}）" for c, label in OrganisationKind.choices)
            errors.add(
                "kind",
                line,
                _("类型“%(kind)s”无效，可选：%(choices)s。") % {"kind": values["kind"], "choices": choices},
            )
        values["kind"] = kind
    else:
        values.pop("kind", None)  # empty: keep the current kind (a new organisation is a 委办局)
    if values.get("sort_order") not in (None, ""):
        try:
            values["sort_order"] = int(str(values["sort_order"]).strip())
            if values["sort_order"] < 0:
                raise ValueError
        except ValueError:
            errors.add("sort_order", line, _("排序必须是不小于0的整数。"))
    else:
        values.pop("sort_order", None)
    return values


def _check_references(cleaned: list[Row], existing: dict[str, Organisation], errors: _Errors) -> None:
    """Codes and names unique after the import, parents that exist, no organisation above itself."""
    first_line: dict[str, int] = {}
    names = {org.code: org.name for org in existing.values()}
    parents = {org.code: org.parent.code if org.parent_id else "" for org in existing.values()}
    for line, values in cleaned:
        code = values.get("code")
        if not code:
            continue
        if code in first_line:
            errors.add(
                "code",
                line,
                _("代码“%(code)s”与第%(other)d行重复。") % {"code": code, "other": first_line[code]},
            )
        first_line.setdefault(code, line)
        if values.get("name"):
            names[code] = values["name"]
        if "parent" in values:
            parents[code] = values["parent"]
    owners: dict[str, list[str]] = {}
    for code, name in names.items():
        owners.setdefault(name, []).append(code)
    for line, values in cleaned:
        code, name, parent = values.get("code"), values.get("name"), values.get("parent")
        if name and len(owners.get(name, [])) > 1:
            others = "、".join(c for c in owners[name] if c != code)
            errors.add(
                "name", line, _("名称“%(name)s”已被机构“%(others)s”使用。") % {"name": name, "others": others}
            )
        if not code or not parent:
            continue
        if parent not in names:
            errors.add(
                "parent", line, _("上级“%(parent)s”不是已有机构或文件中机构的代码。") % {"parent": parent}
            )
            continue
        seen, current = {code}, parent
        while current:
            if current in seen:
                errors.add("parent", line, _("上级“%(parent)s”使机构成为自己的上级。") % {"parent": parent})
                break
            seen.add(current)
            current = parents.get(current, "")


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {key: [before[key], after[key]] for key in after if before.get(key) != after[key]}


@transaction.atomic
def import_organisations(*, actor: Any, rows: list[Row]) -> OrganisationImport:
    """Create or update organisations by code (rows from `orgfile.read_organisation_file`).

    Only the columns a row has are changed. Every problem in the file is reported at once, keyed by
    field with its line number, and then nothing is saved.
    """
    _check_actor(actor, _("导入机构"))
    errors = _Errors()
    cleaned = [(line, _clean_row(line, row, errors)) for line, row in rows]
    existing = {org.code: org for org in Organisation.objects.select_related("parent")}
    _check_references(cleaned, existing, errors)
    if errors.by_field:
        raise ValidationError(errors.by_field)
    result, saved = OrganisationImport(), {}
    for _line, values in cleaned:
        organisation = existing.get(values["code"]) or Organisation(code=values["code"])
        before = _snapshot(organisation) if organisation.pk else None
        for key in _FIELDS:
            if key in values:
                setattr(organisation, key, values[key])
        saved[organisation.code] = (organisation, before)
    try:
        for organisation, _before in saved.values():
            organisation.save()
        for _line, values in cleaned:
            if "parent" in values:
                organisation = saved[values["code"]][0]
                parent = values["parent"]
                if parent:
                    organisation.parent = saved[parent][0] if parent in saved else existing[parent]
                else:
                    organisation.parent = None
                organisation.save(update_fields=["parent", "updated_at"])
    except IntegrityError:  # e.g. two organisations swapping names in one file
        raise ValidationError({"name": _("机构名称冲突，请分两次导入。")}) from None
    for organisation, before in saved.values():
        after = _snapshot(organisation)
        if before is None:
            result.created.append(organisation.code)
            record_event("accounts.organisation_created", actor=actor, target=organisation,
                         organisation=organisation, data=after)  # fmt: skip
        elif after != before:
            result.updated.append(organisation.code)
            record_event("accounts.organisation_updated", actor=actor, target=organisation,
                         organisation=organisation, data={"changes": _changes(before, after)})  # fmt: skip
        else:
            result.unchanged.append(organisation.code)
    return result


# ---------------------------------------------------------------- staff roles (separation of duties)


def check_roles(user: User, *, actor: Any, roles: Iterable[str]) -> bool:
    """Raise unless `actor` may give `user` exactly these roles; returns whether they conflict.

    An organisation admin manages their own organisation's staff, never grants platform powers and
    never gives one account a drafting and an approving role (职责分离); a platform admin may, and
    the grant is audited as conflicting.
    """
    names = {str(role) for role in roles}
    if getattr(actor, "is_platform_admin", False):
        return roles_conflict(names)
    require_role(actor, Role.ORG_ADMIN, user.organisation_id, _("分配角色"))
    if Role.PLATFORM_ADMIN.value in names:
        raise PermissionDenied(_("只有平台管理员可以授予“平台管理员”角色。"))
    if roles_conflict(names):
        raise ValidationError(
            {
                "groups": _(
                    "角色：同一账号不能既有起草角色（编辑、单位管理员）又有“审核人”角色（职责分离）；"
                    "确需兼任的，须由平台管理员授予。"
                )
            }
        )
    return False


def set_roles(user: User, *, actor: Any, roles: Iterable[str]) -> User:
    """Give `user` exactly `roles` (role groups), after `check_roles`; records `accounts.roles_changed`."""
    names = sorted({str(role) for role in roles})
    conflicting = check_roles(user, actor=actor, roles=names)
    with transaction.atomic():
        before = sorted(user.groups.values_list("name", flat=True))
        if before == names:
            return user
        user.groups.set(Group.objects.filter(name__in=names))
        user.__dict__.pop("_role_cache", None)
        record_event(
            "accounts.roles_changed",
            actor=actor,
            target=user,
            organisation=user.organisation,
            data={"from": before, "to": names, "conflicting": conflicting},
        )
    return user


# ---------------------------------------------------------------- two-factor authentication (TOTP)


def start_totp_enrolment(*, actor: User) -> TOTPDevice:
    """The authenticator being set up for `actor`: a new secret unless one is pending."""
    if confirmed_device(actor) is not None:
        raise ValidationError({"token": _("两步验证已启用；如需更换手机，请联系平台管理员重置。")})
    return pending_device(actor) or TOTPDevice.objects.create(
        user=actor, name=_("身份验证器"), confirmed=False
    )


def confirm_totp_device(device: TOTPDevice, *, actor: User, token: str) -> TOTPDevice:
    """Switch two-factor authentication on once the user typed a code from their authenticator."""
    if device.user_id != actor.pk:
        raise PermissionDenied(_("只能为自己的账号启用两步验证。"))
    token = "".join(str(token or "").split())
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if locked.confirmed:
            return locked
        if not (token.isdigit() and locked.verify_token(token)):
            raise ValidationError(
                {"token": _("动态验证码不正确或已过期，请输入身份验证器当前显示的6位数字。")}
            )
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        record_event(
            "accounts.two_factor_enabled", actor=actor, target=actor, organisation=actor.organisation
        )
    return locked


def reset_two_factor(user: User, *, actor: Any) -> int:
    """Remove a member's authenticators (a lost phone); platform admins only. Returns how many."""
    if not getattr(actor, "is_platform_admin", False):
        raise PermissionDenied(_("只有平台管理员可以重置两步验证。"))
    with transaction.atomic():
        count, _deleted = TOTPDevice.objects.filter(user=user).delete()
        record_event("accounts.two_factor_reset", actor=actor, target=user, organisation=user.organisation,
                     data={"devices": count})  # fmt: skip
    return count
