"""Two-step sign-in: a code from an authenticator app after the password, for whoever turns it on, and for the
roles that must (SIGAP_TWO_FACTOR_ROLES)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigap.accounts.two_factor import code_accepted, device_of, pending_setup, recovery_codes_left, two_factor_off
from sigap.core.models import AuditLog

RIGHT = "correct horse battery staple"  # the personas' password (conftest)
SETUP = "/akun/dua-langkah/"
CODE_STEP = "/masuk/kode/"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _turn_on(client: Client, user) -> TOTPDevice:
    client.force_login(user)
    client.post(SETUP, {"action": "start"})
    pending = pending_setup(user)
    assert client.post(SETUP, {"action": "confirm", "code": _code(pending)}).status_code == 302
    device = device_of(user)
    assert device is not None
    return device


@pytest.mark.django_db
def test_a_person_turns_two_step_sign_in_on_and_then_signs_in_with_a_code(personas):
    """An analyst's password alone opened the account that reveals reporters' identities: a leaked or guessed
    password was all it took."""
    analyst = personas["analyst"]
    start = timezone.now().replace(second=1, microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        client = Client()
        client.force_login(analyst)
        assert "Masuk dua langkah" in client.get(reverse("accounts:account")).content.decode()
        assert "Mati" in client.get(SETUP).content.decode()
        page = client.post(SETUP, {"action": "start"}).content.decode()
        pending = pending_setup(analyst)
        assert "<svg" in page and pending is not None and not pending.confirmed
        secret = page.split("<code>")[1].split("</code>")[0]
        assert len(secret.replace(" ", "")) == 32  # the 20-byte key in base32, for typing in
        wrong = client.post(SETUP, {"action": "confirm", "code": "000000" if _code(pending) != "000000" else "111111"})
        assert wrong.status_code == 400 and device_of(analyst) is None
        traveller.shift(2)  # django-otp holds the next try back a second after a failure (doubling with each)
        assert client.post(SETUP, {"action": "confirm", "code": _code(pending)}).status_code == 302
        device = device_of(analyst)
        assert device is not None and AuditLog.objects.filter(action="account.two_factor_on").count() == 1
        assert "Hidup" in client.get(SETUP).content.decode() and "<svg" not in client.get(SETUP).content.decode()

    with time_machine.travel(start + timedelta(seconds=40), tick=False) as traveller:
        browser = Client()
        first = browser.post("/masuk/?next=/kejadian/", {"username": "analyst", "password": RIGHT})
        assert first.status_code == 302 and first.url == CODE_STEP
        assert browser.get("/beranda/").status_code == 302  # not signed in by the password alone
        assert "Kode dari aplikasi autentikator Anda" in browser.get(CODE_STEP).content.decode()
        refused = browser.post(CODE_STEP, {"code": "12345"})
        assert "Kode itu tidak benar" in refused.content.decode()
        traveller.shift(2)
        code = _code(device)
        signed_in = browser.post(CODE_STEP, {"code": code})
        assert signed_in.status_code == 302 and signed_in.url == "/kejadian/"
        assert browser.get("/beranda/").status_code == 200
        # The same code does not open a second sign-in: a code seen over a shoulder is spent.
        again = Client()
        again.post(SIGN_IN := "/masuk/", {"username": "analyst", "password": RIGHT})
        assert "Kode itu tidak benar" in again.post(CODE_STEP, {"code": code}).content.decode()
        assert again.get("/beranda/").status_code == 302
    # Five minutes without a code: the password step again.
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        late = Client()
        late.post(SIGN_IN, {"username": "analyst", "password": RIGHT})
    with time_machine.travel(start + timedelta(minutes=8), tick=False):
        assert late.post(CODE_STEP, {"code": _code(device)}).url == "/masuk/"
        assert late.get("/beranda/").status_code == 302
    # Someone without two-step sign-in signs in with the password as before.
    assert Client().post(SIGN_IN, {"username": "responder", "password": RIGHT}).url == "/beranda/"


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_sign_in_brake(personas, settings):
    settings.SIGAP_SIGN_IN_FAILURES_PER_15_MIN = 3
    start = timezone.now().replace(minute=0, second=1, microsecond=0)
    with time_machine.travel(start, tick=False):
        device = _turn_on(Client(), personas["analyst"])
    with time_machine.travel(start + timedelta(seconds=40), tick=False):
        guesser = Client(REMOTE_ADDR="203.0.113.7")
        guesser.post("/masuk/", {"username": "analyst", "password": RIGHT})  # a stolen password
        for guess in ("111111", "222222", "333333"):
            guesser.post(CODE_STEP, {"code": guess})
        locked = guesser.post(CODE_STEP, {"code": _code(device)}).content.decode()
        assert "Terlalu banyak percobaan masuk yang gagal" in locked
        assert guesser.get("/beranda/").status_code == 302
    assert AuditLog.objects.filter(action="account.sign_in_locked", object_id="analyst").exists()


@pytest.mark.django_db
def test_the_roles_that_must_use_it_set_it_up_before_anything_else(personas, settings):
    settings.SIGAP_TWO_FACTOR_ROLES = ["analyst", "admin"]
    analyst = Client()
    analyst.force_login(personas["analyst"])
    for path in ("/beranda/", "/kejadian/", "/admin/"):
        response = analyst.get(path)
        assert response.status_code == 302 and response.url == SETUP, path
    assert analyst.get(SETUP).status_code == 200
    responder = Client()
    responder.force_login(personas["responder"])
    assert responder.get("/beranda/").status_code == 200  # not a role that must
    start = timezone.now().replace(second=1, microsecond=0)
    with time_machine.travel(start, tick=False):
        device = _turn_on(analyst, personas["analyst"])
        assert analyst.get("/beranda/").status_code == 200
    with time_machine.travel(start + timedelta(seconds=40), tick=False):
        # A role that must cannot turn it off itself; the administrator can, for a lost phone.
        refused = analyst.post(SETUP, {"action": "off", "code": _code(device)})
        assert refused.status_code == 400 and device_of(personas["analyst"]) is not None
        admin = Client()
        admin.force_login(personas["admin"])
        assert admin.get("/admin/").status_code == 302  # the administrator must set it up too
        settings.SIGAP_TWO_FACTOR_ROLES = ["analyst"]
        changelist = reverse("admin:accounts_user_changelist")
        assert "Dua langkah" in admin.get(changelist).content.decode()
        admin.post(changelist, {"action": "turn_two_step_off", "_selected_action": [personas["analyst"].pk]})
    assert device_of(personas["analyst"]) is None
    reset = AuditLog.objects.get(action="account.two_factor_off")
    assert reset.actor == personas["admin"] and reset.details["reason"] == "administrator reset"
    assert analyst.get("/beranda/").url == SETUP  # and the analyst sets it up again on the next page


@pytest.mark.django_db
def test_one_who_chose_it_turns_it_off_with_a_current_code(personas):
    start = timezone.now().replace(second=1, microsecond=0)
    client = Client()
    with time_machine.travel(start, tick=False):
        device = _turn_on(client, personas["mediator"])
    with time_machine.travel(start + timedelta(seconds=40), tick=False) as traveller:
        assert client.post(SETUP, {"action": "off", "code": "999999x"}).status_code == 400
        assert device_of(personas["mediator"]) is not None
        traveller.shift(2)
        assert client.post(SETUP, {"action": "off", "code": _code(device)}).status_code == 302
    assert device_of(personas["mediator"]) is None
    assert AuditLog.objects.get(action="account.two_factor_off").actor == personas["mediator"]


@pytest.mark.django_db
def test_the_administrator_sees_how_many_revealing_accounts_sign_in_in_two_steps(personas, settings):
    admin = Client()
    admin.force_login(personas["admin"])
    home = admin.get(reverse("home:home")).content.decode()
    assert "0 dari 2 akun administrator dan analis" in home and "SIGAP_TWO_FACTOR_ROLES=admin,analyst" in home
    start = timezone.now().replace(second=1, microsecond=0)
    with time_machine.travel(start, tick=False):
        _turn_on(Client(), personas["analyst"])
        _turn_on(Client(), personas["responder"])  # not an account that reveals identities: not counted
    settings.SIGAP_TWO_FACTOR_ROLES = ["analyst"]
    home = admin.get(reverse("home:home")).content.decode()
    assert "1 dari 2 akun administrator dan analis" in home and "SIGAP_TWO_FACTOR_ROLES=admin" not in home


def _codes_on(page: str) -> list[str]:
    listed = page.split('class="recovery-codes"')[1].split("</ol>")[0]
    return [item.split("</code>")[0] for item in listed.split("<code>")[1:]]


@pytest.mark.django_db
def test_recovery_codes_sign_in_once_each_when_the_phone_is_not_at_hand(personas):
    """A phone lost or broken on a Saturday night locked the analyst out until the administrator was back: ten
    recovery codes, shown once at setup and kept only as digests, each open one sign-in."""
    analyst = personas["analyst"]
    start = timezone.now().replace(second=1, microsecond=0)
    client = Client()
    with time_machine.travel(start, tick=False) as traveller:
        device = _turn_on(client, analyst)
        codes = _codes_on(client.get(SETUP).content.decode())
        assert len(codes) == 10 and len(set(codes)) == 10 and all(len(code) == 11 for code in codes)
        assert 'class="recovery-codes"' not in client.get(SETUP).content.decode()  # shown once
        assert "10 kode cadangan yang belum dipakai" in client.get(SETUP).content.decode()
        stored = set(StaticToken.objects.filter(device__user=analyst).values_list("token", flat=True))
        assert len(stored) == 10 and not stored & ({code.replace("-", "") for code in codes} | set(codes))
        traveller.shift(40)
        browser = Client()
        browser.post("/masuk/?next=/kejadian/", {"username": "analyst", "password": RIGHT})
        assert "kode cadangan" in browser.get(CODE_STEP).content.decode()
        assert "Ketik kode dari aplikasi" in browser.post(CODE_STEP, {"code": "", "recovery": ""}).content.decode()
        typed = " " + codes[3].upper().replace("-", " ") + " "  # case, spaces and dashes do not matter
        signed_in = browser.post(CODE_STEP, {"code": "", "recovery": typed})
        assert signed_in.status_code == 302 and signed_in.url == "/kejadian/"
        assert "kode cadangan; tersisa 9" in browser.get("/kejadian/").content.decode()
        used = AuditLog.objects.get(action="account.recovery_code_used")
        assert used.actor == analyst and used.details == {"left": 9}
        # Spent: the same code does not open another sign-in.
        again = Client()
        again.post("/masuk/", {"username": "analyst", "password": RIGHT})
        assert "Kode itu tidak benar" in again.post(CODE_STEP, {"recovery": codes[3]}).content.decode()
        assert again.get("/beranda/").status_code == 302
        # A new set, asked for with the app's code, makes the old ones useless.
        traveller.shift(31)
        assert client.post(SETUP, {"action": "recovery_codes", "code": codes[4]}).status_code == 400
        assert recovery_codes_left(analyst) == 9  # the app's code only here: the recovery code was not spent
        traveller.shift(31)
        assert client.post(SETUP, {"action": "recovery_codes", "code": _code(device)}).url == SETUP
        fresh = _codes_on(client.get(SETUP).content.decode())
        assert not set(fresh) & set(codes)
        traveller.shift(5)
        late = Client()
        late.post("/masuk/", {"username": "analyst", "password": RIGHT})
        assert "Kode itu tidak benar" in late.post(CODE_STEP, {"recovery": codes[4]}).content.decode()
        traveller.shift(5)
        assert late.post(CODE_STEP, {"recovery": fresh[0]}).status_code == 302
    assert AuditLog.objects.filter(action="account.recovery_codes_new").count() == 2
    # Turned off, the codes go with the app: they were a way past it.
    two_factor_off(analyst, actor=personas["admin"], reason="administrator reset")
    assert not StaticToken.objects.filter(device__user=analyst).exists()


@pytest.mark.django_db
def test_a_new_phone_is_set_up_with_a_recovery_code_when_the_old_one_is_lost(personas, settings):
    settings.SIGAP_TWO_FACTOR_ROLES = ["analyst"]
    analyst = personas["analyst"]
    start = timezone.now().replace(second=1, microsecond=0)
    client = Client()
    with time_machine.travel(start, tick=False) as traveller:
        old = _turn_on(client, analyst)
        codes = _codes_on(client.get(SETUP).content.decode())
        traveller.shift(40)
        assert client.post(SETUP, {"action": "start", "code": "wrong-code"}).status_code == 400
        traveller.shift(5)
        page = client.post(SETUP, {"action": "start", "code": codes[0]}).content.decode()
        assert "<svg" in page and "ponsel baru" in page
        assert device_of(analyst) == old  # the old app works until the new one gives its first code
        new = pending_setup(analyst)
        assert client.post(SETUP, {"action": "confirm", "code": _code(new)}).url == SETUP
    assert device_of(analyst) == new and not TOTPDevice.objects.filter(pk=old.pk).exists()
    # The remaining codes stay valid; none are shown again.
    assert 'class="recovery-codes"' not in client.get(SETUP).content.decode()
    assert "9 kode cadangan yang belum dipakai" in client.get(SETUP).content.decode()


@pytest.mark.django_db
def test_the_account_page_asks_for_new_codes_when_few_are_left(personas):
    mediator = personas["mediator"]
    start = timezone.now().replace(second=1, microsecond=0)
    client = Client()
    with time_machine.travel(start, tick=False):
        _turn_on(client, mediator)
        codes = _codes_on(client.get(SETUP).content.decode())
    account = reverse("accounts:account")
    assert "Buat kode cadangan baru" not in client.get(account).content.decode()
    for code in codes[:8]:
        assert code_accepted(mediator, code) == "recovery"
    assert "Tinggal 2 kode cadangan" in client.get(account).content.decode()
