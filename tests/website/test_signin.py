"""Signing in to the admin: lockout after repeated failures (per account and per address),
the second step for the roles that need it, recovery codes, idle expiry of signed-in
sessions, and the admin's Content-Security-Policy."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from website.factories.website import DEMO_PASSWORD, UserFactory, demo_totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
VERIFY = "/admin/signin/verify/"
ENROL = "/admin/signin/two-step/"


def sign_in_with_password(client, username: str, password: str = DEMO_PASSWORD, **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.fixture
def director():
    return UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])


@pytest.fixture
def officer():
    return UserFactory(username="officer", groups=[settings.CONTENT_OFFICERS_GROUP])


class TestLockout:
    def test_after_the_limit_even_the_right_password_is_refused(self, client, officer):
        limit = settings.AXES_FAILURE_LIMIT
        for _ in range(limit - 1):
            response = sign_in_with_password(client, "officer", "wrong")
            assert response.status_code == 200
            assert "Your username and password didn" in response.content.decode()
        response = sign_in_with_password(client, "officer", "wrong")
        assert response.status_code == 429

        response = sign_in_with_password(client, "officer")
        assert response.status_code == 429
        page = response.content.decode()
        assert "Signing in is locked for now" in page
        assert f"Try again in {settings.SIGNIN_LOCKOUT_MINUTES} minutes" in page
        assert re.search(r"after \d\d:\d\d UTC", page)
        assert signed_in_user_id(client) is None
        assert client.get("/admin/pages/").status_code == 302

    def test_an_account_is_locked_whatever_the_address(self, client, officer):
        for n in range(settings.AXES_FAILURE_LIMIT):
            sign_in_with_password(client, "officer", "wrong", REMOTE_ADDR=f"192.0.2.{n + 1}")
        response = sign_in_with_password(client, "officer", REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 429
        assert signed_in_user_id(client) is None
        # Another account from another address is not affected.
        UserFactory(username="other", groups=[settings.CONTENT_OFFICERS_GROUP])
        response = sign_in_with_password(client, "other", REMOTE_ADDR="198.51.100.8")
        assert response.status_code == 302
        assert signed_in_user_id(client) is not None

    def test_an_address_is_locked_whatever_the_account(self, client, officer):
        for n in range(settings.AXES_FAILURE_LIMIT):
            sign_in_with_password(client, f"nobody{n}", "wrong", REMOTE_ADDR="203.0.113.9")
        response = sign_in_with_password(client, "officer", REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 429
        assert signed_in_user_id(client) is None
        assert AccessAttempt.objects.filter(ip_address="203.0.113.9").count() >= 1

    def test_behind_a_proxy_each_visitor_is_counted(self, client, officer, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in_with_password(client, "nobody", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.1")
        locked = sign_in_with_password(client, "officer", HTTP_X_FORWARDED_FOR="203.0.113.1")
        assert locked.status_code == 429
        other_visitor = sign_in_with_password(client, "officer", HTTP_X_FORWARDED_FOR="203.0.113.2")
        assert other_visitor.status_code == 302

    def test_wrong_codes_count_as_failures(self, client, director):
        sign_in_with_password(client, "director")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = client.post(VERIFY, {"code": "000000", "next": "/admin/"})
            assert response.status_code == 200
            assert "not valid" in response.content.decode()
        response = client.post(VERIFY, {"code": "000000", "next": "/admin/"})
        assert response.status_code == 429
        assert signed_in_user_id(client) is None
        # The right password and the right code are refused while the lockout lasts.
        assert sign_in_with_password(client, "director").status_code == 429
        assert signed_in_user_id(client) is None


class TestSecondStep:
    def test_a_director_with_only_a_password_cannot_reach_the_admin(
        self, client, director, home_page
    ):
        response = sign_in_with_password(client, "director")
        assert response.status_code == 302
        for url in ["/admin/", "/admin/pages/", "/admin/users/", "/admin/api/main/pages/"]:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.url.startswith(f"{VERIFY}?next="), url
        # Enrolling another authenticator needs the code of the first.
        response = client.get(ENROL)
        assert response.status_code == 302
        assert response.url.startswith(VERIFY)
        # Outside the admin the half-signed-in session is anonymous: no user bar.
        assert "wagtail-userbar" not in client.get("/").content.decode()
        client.post(VERIFY, {"code": demo_totp_code(), "next": "/admin/"})
        assert "wagtail-userbar" in client.get("/").content.decode()

    def test_the_code_completes_the_sign_in(self, client, director):
        sign_in_with_password(client, "director")
        response = client.post(VERIFY, {"code": demo_totp_code(), "next": "/admin/pages/"})
        assert response.status_code == 302
        assert response.url == "/admin/pages/"
        assert client.get("/admin/pages/").status_code == 200
        stored = Session.objects.get(session_key=client.session.session_key).get_decoded()
        device = TOTPDevice.objects.get(user=director)
        assert stored[DEVICE_ID_SESSION_KEY] == device.persistent_id

    def test_a_code_works_once(self, client, director):
        code = demo_totp_code()
        sign_in_with_password(client, "director")
        client.post(VERIFY, {"code": code, "next": "/admin/"})
        client.post("/admin/logout/")

        sign_in_with_password(client, "director")
        response = client.post(VERIFY, {"code": code, "next": "/admin/"})
        assert response.status_code == 200
        assert "not valid" in response.content.decode()
        assert client.get("/admin/pages/").status_code == 302

    def test_a_next_address_on_another_host_is_not_followed(self, client, director):
        sign_in_with_password(client, "director")
        response = client.post(VERIFY, {"code": demo_totp_code(), "next": "https://evil.test/"})
        assert response.url == "/admin/"

    def test_a_director_without_an_authenticator_is_sent_to_enrol(self, client):
        UserFactory(username="new", groups=[settings.DATA_OFFICERS_GROUP], authenticator=False)
        sign_in_with_password(client, "new")
        response = client.get("/admin/pages/")
        assert response.status_code == 302
        assert response.url.startswith(f"{ENROL}?next=")

        page = client.get(response.url).content.decode()
        assert "<svg" in page
        assert "otpauth" not in page  # the key is drawn, not linked to another host
        pending = TOTPDevice.objects.get(user__username="new", confirmed=False)
        key = re.search(r"data-signin-key>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
        assert key == pending.config_url.split("secret=")[1].split("&")[0]

        response = client.post(ENROL, {"code": "123", "next": "/admin/pages/"})
        assert "not valid" in response.content.decode()

        response = client.post(ENROL, {"code": code_for(pending), "next": "/admin/pages/"})
        assert response.status_code == 200
        codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
        assert len(codes) == settings.SIGNIN_RECOVERY_CODE_COUNT
        assert TOTPDevice.objects.get(user__username="new").confirmed
        stored = set(
            StaticToken.objects.filter(device__user__username="new").values_list("token", flat=True)
        )
        assert stored == set(codes)
        assert client.get("/admin/").status_code == 200
        # The codes are not shown again.
        assert codes[0] not in client.get(ENROL).content.decode()

    def test_a_half_signed_in_session_cannot_replace_the_authenticator(self, client, director):
        sign_in_with_password(client, "director")
        response = client.get(f"{ENROL}?replace=1")
        assert response.status_code == 302
        assert response.url.startswith(VERIFY)
        response = client.post(ENROL, {"code": "000000"})
        assert response.status_code == 302
        assert TOTPDevice.objects.filter(user=director).count() == 1

    def test_other_volunteers_sign_in_with_a_password_and_may_enrol(self, client, officer):
        sign_in_with_password(client, "officer")
        assert client.get("/admin/pages/").status_code == 200
        assert not TOTPDevice.objects.filter(user=officer).exists()

        client.get(ENROL)
        pending = TOTPDevice.objects.get(user=officer, confirmed=False)
        client.post(ENROL, {"code": code_for(pending), "next": "/admin/"})
        client.post("/admin/logout/")

        sign_in_with_password(client, "officer")
        assert client.get("/admin/pages/").url.startswith(VERIFY)

    def test_the_account_menu_offers_two_step_sign_in(self, client, officer):
        client.force_login(officer)
        assert ENROL in client.get("/admin/account/").content.decode()


class TestRecoveryCodes:
    def test_a_recovery_code_works_once(self, client, director):
        client.force_login(director)
        response = client.post("/admin/signin/recovery-codes/")
        codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
        assert len(codes) == settings.SIGNIN_RECOVERY_CODE_COUNT
        client.post("/admin/logout/")

        sign_in_with_password(client, "director")
        response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/admin/pages/"})
        assert response.status_code == 302
        assert client.get("/admin/pages/").status_code == 200
        left = StaticToken.objects.filter(device__user=director)
        assert left.count() == settings.SIGNIN_RECOVERY_CODE_COUNT - 1
        assert not left.filter(token=codes[0]).exists()
        client.post("/admin/logout/")

        sign_in_with_password(client, "director")
        response = client.post(VERIFY, {"code": codes[0], "next": "/admin/pages/"})
        assert response.status_code == 200
        assert "not valid" in response.content.decode()
        assert client.get("/admin/pages/").status_code == 302
        # Right after a wrong code, every code waits (django-otp's throttling).
        response = client.post(VERIFY, {"code": codes[1], "next": "/admin/pages/"})
        assert "Wait a few seconds" in response.content.decode()
        time.sleep(2.1)
        response = client.post(VERIFY, {"code": codes[1], "next": "/admin/pages/"})
        assert response.status_code == 302

    def test_new_codes_replace_the_old_ones(self, client, director):
        client.force_login(director)
        first = client.post("/admin/signin/recovery-codes/").content.decode()
        second = client.post("/admin/signin/recovery-codes/").content.decode()
        old = set(re.findall(r"<li><code>([a-z0-9]+)</code></li>", first))
        new = set(re.findall(r"<li><code>([a-z0-9]+)</code></li>", second))
        stored = set(
            StaticToken.objects.filter(device__user=director).values_list("token", flat=True)
        )
        assert stored == new
        assert not old & new


class TestIdleExpiry:
    @pytest.mark.parametrize("remember", [True, False])
    def test_a_signed_in_session_ends_after_twelve_idle_hours(self, client, officer, remember):
        start = timezone.now()
        client.post(
            LOGIN,
            {
                "username": "officer",
                "password": DEMO_PASSWORD,
                **({"remember": "on"} if remember else {}),
            },
        )
        assert client.get("/admin/").status_code == 200
        session_key = client.session.session_key
        if remember:
            expiry = Session.objects.get(session_key=session_key).expire_date
            assert abs(expiry - (start + timedelta(hours=12))) < timedelta(minutes=1)
            assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 3600
        else:
            assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""

        for hours in [11, 22]:
            with mock.patch(
                "django.utils.timezone.now", return_value=start + timedelta(hours=hours)
            ):
                assert client.get("/admin/").status_code == 200
        with mock.patch(
            "django.utils.timezone.now", return_value=start + timedelta(hours=34, minutes=1)
        ):
            response = client.get("/admin/")
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)
        assert client.get("/admin/").status_code == 302

    def test_visitors_get_no_session(self, client, home_page):
        response = client.get("/")
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        assert Session.objects.count() == 0


class TestAdminPolicy:
    def test_the_admin_sends_a_strict_policy(self, client, officer):
        for url in [LOGIN, "/admin/signin/verify/"]:
            policy = client.get(url)["Content-Security-Policy"]
            directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
            assert directives["script-src"] == "'self'"
            assert directives["default-src"] == "'self'"
            assert directives["object-src"] == "'none'"
            assert directives["frame-ancestors"] == "'self'"

    def test_the_public_site_keeps_its_own(self, client, home_page):
        policy = client.get("/")["Content-Security-Policy"]
        assert "style-src 'self';" in policy or policy.endswith("style-src 'self'")
        assert "unsafe-inline" not in policy


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"
