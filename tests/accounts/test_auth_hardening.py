"""Issue 11, authentication and sessions: login lockout, two-factor authentication for staff, a
password policy, and sessions that end (browser close, idle time, absolute lifetime)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from base64 import b32decode

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.oath import TOTP

from gongkai.accounts.constants import Role
from gongkai.core.models import Event

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456789"


def login(client, username, password=PASSWORD, token=None, **extra):
    data = {"username": username, "password": password, "next": "/admin/"}
    if token is not None:
        data["otp_token"] = token
    return client.post("/admin/login/", data, **extra)


def is_signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


# ---------------------------------------------------------------- lockout


def test_repeated_failures_lock_the_account_out_for_a_while(client, editor):
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as traveller:
        for _ in range(4):
            assert login(client, "editor", "wrong-password").status_code == 200
        assert login(client, "editor", "wrong-password").status_code == 429  # the fifth failure locks
        locked = login(client, "editor")  # even the right password is refused now
        assert locked.status_code == 429
        assert "登录已暂时锁定" in locked.content.decode() and "15 分钟" in locked.content.decode()
        assert not is_signed_in(client)
        traveller.shift(16 * 60)
        assert login(client, "editor").status_code == 302
        assert is_signed_in(client)


def test_one_address_guessing_many_accounts_is_locked_out(client, make_user, office):
    for number in range(5):
        make_user(f"staff{number}", office, Role.EDITOR)
        login(client, f"staff{number}", "wrong-password", REMOTE_ADDR="198.51.100.7")
    make_user("victim", office, Role.EDITOR)
    assert login(client, "victim", REMOTE_ADDR="198.51.100.7").status_code == 429
    assert login(client, "victim", REMOTE_ADDR="198.51.100.8").status_code == 302


# ---------------------------------------------------------------- two-factor authentication


def token_for(secret: str, at: float | None = None) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def wrong_token(secret: str) -> str:
    return "000000" if token_for(secret) != "000000" else "111111"


def enrol(client) -> str:
    """Set up an authenticator the way a person does: read the key off the page, type a code."""
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1)
    assert client.post("/accounts/two-factor/", {"token": wrong_token(secret)}).status_code == 400
    response = client.post("/accounts/two-factor/", {"token": token_for(secret), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    return secret


def test_reviewers_must_enrol_and_then_use_a_one_time_code(client, reviewer, settings):
    settings.OTP_REQUIRED_ROLES = ["reviewer", "org_admin", "platform_admin"]
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as traveller:
        assert login(client, "reviewer").status_code == 302
        # Signed in with the password only: nothing but the setup page until an authenticator is set up.
        for url in ("/admin/", "/review/", "/admin/documents/document/"):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/"), (
                url
            )
        secret = enrol(client)
        assert is_signed_in(client)
        assert Event.objects.filter(verb="accounts.two_factor_enabled", actor=reviewer).exists()

        client.post("/admin/logout/")
        traveller.shift(60)
        refused = login(client, "reviewer")  # the password alone no longer signs in
        assert refused.status_code == 200 and "请输入动态验证码" in refused.content.decode()
        assert not is_signed_in(client)
        assert login(client, "reviewer", token=wrong_token(secret)).status_code == 200
        assert not is_signed_in(client)
        traveller.shift(2)  # django-otp makes a wrong code wait a moment before the next try
        assert login(client, "reviewer", token=token_for(secret)).status_code == 302
        assert is_signed_in(client)


def test_a_session_without_the_code_is_sent_back_to_sign_in(client, reviewer, settings):
    """An account with an authenticator, signed in some other way than with its code."""
    settings.OTP_REQUIRED_ROLES = ["reviewer"]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)
    client.force_login(reviewer)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not is_signed_in(client)


def test_wrong_codes_count_as_failed_logins(client, reviewer, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)
    for _ in range(5):
        login(client, "reviewer", token="000000")
    assert login(client, "reviewer", token="000000").status_code == 429


def test_staff_without_a_required_role_sign_in_with_the_password(client, editor, settings):
    settings.OTP_REQUIRED_ROLES = ["reviewer", "org_admin", "platform_admin"]
    assert login(client, "editor").status_code == 302
    assert is_signed_in(client)
    # ... and may still switch two-factor authentication on for themselves.
    enrol(client)


def test_production_requires_two_factor_of_reviewers_and_administrators_dev_does_not():
    code = "from django.conf import settings; print(','.join(settings.OTP_REQUIRED_ROLES))"
    env = {key: value for key, value in os.environ.items() if key != "OTP_REQUIRED_ROLES"}

    def required(module: str) -> str:
        run = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env={
            **env, "DJANGO_SETTINGS_MODULE": module, "SECRET_KEY": "x" * 50, "SITE_URL": "https://gongkai.example.gov.cn"},
            capture_output=True, text=True)  # fmt: skip
        assert run.returncode == 0, run.stderr[-2000:]
        return run.stdout.strip()

    assert required("gongkai.conf.production") == "reviewer,org_admin,platform_admin"
    assert required("gongkai.conf.dev") == ""


def test_demo_accounts_keep_their_documented_password(client):
    from gongkai.demo.loader import DEMO_PASSWORD, load_organisations, load_staff

    load_staff(load_organisations())
    for username in ("reviewer", "edu_editor"):
        client.post("/admin/logout/")
        assert login(client, username, DEMO_PASSWORD).status_code == 302, username
        assert is_signed_in(client)


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    "password", ["editor2026", "Editor2026!", "Zhengwu@2026", "jingan-edu-2026", "12345678901234"]
)
def test_guessable_passwords_are_refused(password, make_user, other_org):
    user = make_user("edu_staff", other_org)
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_strong_password_is_accepted(make_user, office):
    validate_password("qing-shan-lv-shui-47Jx", make_user("someone", office))


def test_the_back_office_refuses_a_weak_new_password(client, make_user, office):
    org_admin = make_user("office-admin", office, Role.ORG_ADMIN)
    client.force_login(org_admin)
    response = client.post("/admin/accounts/user/add/", {
        "username": "editor2", "password1": "editor2026", "password2": "editor2026", "usable_password": "true"})  # fmt: skip
    assert response.status_code == 200
    assert "密码强度不足" in response.content.decode()
    from gongkai.accounts.models import User

    assert not User.objects.filter(username="editor2").exists()


# ---------------------------------------------------------------- sessions


def test_the_tracking_page_session_ends_with_the_browser(client, office, foi_officer):
    from gongkai.foi import services as foi_services

    request, code = foi_services.register_request(
        actor=foi_officer, organisation=office, channel="in_person", received_date="2026-03-02",
        applicant_kind="person", applicant_name="赵六", id_type="resident_id", id_number="11010519491231002X",
        phone="021-12345678", description="静安区学前教育资源配置规划", info_form="electronic", delivery_method="email",
        email="zhaoliu@example.com",
    )  # fmt: skip
    response = client.post("/foi/track/", {"number": request.number, "code": code})
    assert response.status_code == 200 and request.number in response.content.decode()
    cookie = client.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_staff_sessions_end_after_the_idle_time(client, editor, settings):
    assert settings.SESSION_IDLE_MINUTES == 30
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as traveller:
        client.force_login(editor)
        for _ in range(4):  # active every 20 minutes: still signed in after 80 minutes
            traveller.shift(20 * 60)
            assert is_signed_in(client)
        traveller.shift(31 * 60)
        response = client.get("/admin/")
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_staff_sessions_have_an_absolute_lifetime(client, editor, settings):
    settings.SESSION_MAX_HOURS = 1
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as traveller:
        client.force_login(editor)
        for _ in range(3):
            traveller.shift(20 * 60)
            assert is_signed_in(client)
        traveller.shift(20 * 60 + 1)
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert not is_signed_in(client)


def test_a_platform_admin_resets_a_lost_authenticator(client, reviewer, make_user, office):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongkai.accounts.models import User

    TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)
    org_admin = make_user("office-admin", office, Role.ORG_ADMIN)
    action = {"action": "reset_two_factor", "_selected_action": [reviewer.pk]}
    client.force_login(org_admin)
    client.post("/admin/accounts/user/", action)
    assert TOTPDevice.objects.filter(user=reviewer).exists()
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    client.post("/admin/accounts/user/", action)
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert Event.objects.filter(verb="accounts.two_factor_reset", target_id=str(reviewer.pk)).exists()
    # Nobody reads another member's authenticator secret in the back office.
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
