"""`gongkai organisations import|list` (issue 12): the organisation tree from a CSV or JSONL file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.accounts import services
from gongkai.accounts.models import Organisation
from gongkai.accounts.orgfile import read_organisation_file
from gongkai.core.models import Event
from gongkai.core.services import verify_chain

pytestmark = pytest.mark.django_db

ROWS = [
    {"code": "state-council", "name": "国务院", "organ_code": "国发", "extra_organ_codes": "国函,国务院令",
     "kind": "national"},
    {"code": "gac", "name": "海关总署", "short_name": "海关总署", "organ_code": "署",
     "extra_organ_codes": "海关总署公告,海关总署令", "parent": "state-council", "kind": "国家或市级机关"},
]  # fmt: skip


def _jsonl(tmp_path: Path, rows: list[dict], name: str = "orgs.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def _call(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_jsonl_builds_the_tree_and_list_json_reads_back(tmp_path) -> None:
    out, _err = _call("organisations", "import", str(_jsonl(tmp_path, ROWS)), "--json")
    assert json.loads(out) == {"file": str(tmp_path / "orgs.jsonl"), "created": ["state-council", "gac"],
                               "updated": [], "unchanged": []}  # fmt: skip
    customs = Organisation.objects.get(code="gac")
    assert customs.parent.code == "state-council" and customs.kind == "national"
    assert customs.organ_codes() == ["署", "海关总署公告", "海关总署令"]
    created = Event.objects.filter(verb="accounts.organisation_created")
    assert created.count() == 2 and created.first().actor_label == "system"  # the command line
    assert verify_chain().ok

    listing = json.loads(_call("organisations", "list", "--json")[0])
    assert [row["code"] for row in listing] == ["state-council", "gac"]
    assert listing[1] == {"code": "gac", "name": "海关总署", "short_name": "海关总署", "organ_code": "署",
                          "extra_organ_codes": "海关总署公告,海关总署令", "parent": "state-council",
                          "kind": "national", "index_prefix": "", "sort_order": 100}  # fmt: skip
    # the listing is itself an organisations file: importing it back changes nothing
    again = tmp_path / "listing.json"
    again.write_text(json.dumps(listing, ensure_ascii=False), encoding="utf-8")
    assert json.loads(_call("organisations", "import", str(again), "--json")[0])["unchanged"] == [
        "state-council",
        "gac",
    ]
    assert Event.objects.filter(verb="accounts.organisation_updated").count() == 0
    text = _call("organisations", "list")[0]
    assert "国务院（state-council" in text and "\n  海关总署（gac" in text


def test_csv_with_chinese_headings_in_gbk_updates_by_code(tmp_path) -> None:
    _call("organisations", "import", str(_jsonl(tmp_path, ROWS)))
    path = tmp_path / "orgs.csv"
    path.write_bytes(
        "代码,名称,简称,机关代字,上级,类型\n"
        "gac,海关总署,海关,署,state-council,national\n"
        "state-council-office,国务院办公厅,国办,国办发,state-council,政府办公室\n".encode("gb18030")
    )
    out, _err = _call("organisations", "import", str(path))
    assert "新建 1 个机构，更新 1 个" in out
    assert Organisation.objects.get(code="gac").short_name == "海关"
    assert (
        Organisation.objects.get(code="gac").extra_organ_codes == "海关总署公告,海关总署令"
    )  # no such column
    office = Organisation.objects.get(code="state-council-office")
    assert office.parent.code == "state-council" and office.kind == "general_office"
    update = Event.objects.get(verb="accounts.organisation_updated")
    assert update.data == {"changes": {"short_name": ["海关总署", "海关"]}}


def test_a_bad_file_reports_every_line_by_field_and_changes_nothing(tmp_path) -> None:
    rows = [
        *ROWS,
        {"code": "bad code", "name": "某局", "kind": "ministry"},
        {"code": "loop-a", "name": "甲", "parent": "loop-b"},
        {"code": "loop-b", "name": "乙", "parent": "loop-a"},
        {"code": "orphan", "name": "丙", "parent": "nowhere"},
        {"code": "gac", "name": "海关总署（重复）"},
        {"code": "dup-name", "name": "国务院"},
    ]
    with pytest.raises(ValidationError) as info:
        services.import_organisations(
            actor=None, rows=read_organisation_file(_jsonl(tmp_path, rows).read_bytes())
        )
    errors = info.value.message_dict
    assert any("第3行" in m and "代码“bad code”" in m for m in errors["code"])
    assert any("第3行" in m and "类型“ministry”无效" in m for m in errors["kind"])
    assert any("第4行" in m and "自己的上级" in m for m in errors["parent"])
    assert any("第6行" in m and "“nowhere”" in m for m in errors["parent"])
    assert any("第7行" in m and "与第2行重复" in m for m in errors["code"])
    assert any("第8行" in m and "名称“国务院”已被机构“state-council”使用" in m for m in errors["name"])
    assert Organisation.objects.count() == 0 and Event.objects.count() == 0

    with pytest.raises(CommandError, match="未导入任何机构"):
        _call("organisations", "import", str(_jsonl(tmp_path, rows)))
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"code,name,colour\nx,y,z\n", "未知的列“colour”"), (b'{"code": "x", "name": "y"}\nnot json\n', "第2行不是有效的 JSON"),
     (b"", "文件为空"), (b"\xff\xfe\x00\x81\x30", "编码")],
)  # fmt: skip
def test_unreadable_files_say_why(content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        read_organisation_file(content)
    assert message in info.value.message_dict["file"][0]


def test_only_a_platform_admin_may_import_as_a_user(make_user, tmp_path) -> None:
    clerk = make_user("clerk", None)
    with pytest.raises(PermissionDenied):
        services.import_organisations(actor=clerk, rows=[(1, {"code": "x", "name": "某局"})])
    admin = make_user("boss", None, is_superuser=True)
    services.import_organisations(actor=admin, rows=[(1, {"code": "x", "name": "某局"})])
    assert Event.objects.get(verb="accounts.organisation_created").actor == admin
