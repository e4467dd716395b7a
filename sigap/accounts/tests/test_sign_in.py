"""Signing in with a brake on password guessing, and a person's own password change."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sigap.core.models import AuditLog

RIGHT = "correct horse battery staple"  # the personas' password (conftest)
SIGN_IN = "/masuk/"


def _try(client: Client, username: str, password: str) -> str:
    response = client.post(SIGN_IN, {"username": username, "password": password})
    return "signed in" if response.status_code == 302 else response.content.decode()


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_the_account_from_that_address_for_a_quarter_of_an_hour(personas, settings):
    """Nothing slowed a password guesser down: the sign-in page answered every attempt at once, for ever, and
    an analyst's account reveals reporters' identities."""
    settings.SIGAP_SIGN_IN_FAILURES_PER_15_MIN = 10
    start = timezone.now().replace(minute=0, second=1, microsecond=0)  # the start of a 15-minute window
    with time_machine.travel(start, tick=False):
        guesser = Client(REMOTE_ADDR="203.0.113.9")
        for attempt in range(10):
            assert "Nama pengguna atau kata sandi salah" in _try(guesser, "analyst", f"guess{attempt}")
        # The right password no longer opens the account from there, and the page says why without saying
        # whether the account exists: an unknown name locks the same way.
        assert "Terlalu banyak percobaan masuk yang gagal" in _try(guesser, "analyst", RIGHT)
        for attempt in range(10):
            _try(guesser, "nobody-here", f"guess{attempt}")
        assert "Terlalu banyak percobaan masuk yang gagal" in _try(guesser, "nobody-here", "x")
        # The analyst at the office, another address, signs in; so does a colleague from the guesser's address.
        assert _try(Client(REMOTE_ADDR="10.1.2.3"), "analyst", RIGHT) == "signed in"
        assert _try(Client(REMOTE_ADDR="203.0.113.9"), "responder", RIGHT) == "signed in"
    locks = AuditLog.objects.filter(action="account.sign_in_locked")
    assert sorted(locks.values_list("object_id", flat=True)) == ["analyst", "nobody-here"]
    assert locks.get(object_id="analyst").details["address"] == "203.0.113.9"
    with time_machine.travel(start + timedelta(minutes=15), tick=False):
        assert _try(Client(REMOTE_ADDR="203.0.113.9"), "analyst", RIGHT) == "signed in"
        # The administrator's home shows the locks: someone guessing shows there first.
        admin = Client()
        admin.force_login(personas["admin"])
        home = admin.get(reverse("home:home")).content.decode()
        assert "Masuk yang dikunci dalam 7 hari terakhir" in home and "analyst · 203.0.113.9" in home


@pytest.mark.django_db
def test_a_user_name_too_long_for_any_account_fails_and_locks_without_an_error(personas, settings):
    settings.SIGAP_SIGN_IN_FAILURES_PER_15_MIN = 2
    start = timezone.now().replace(minute=0, second=1, microsecond=0)
    with time_machine.travel(start, tick=False):
        guesser = Client(REMOTE_ADDR="203.0.113.10")
        for _ in range(2):
            assert "Nama pengguna atau kata sandi salah" in _try(guesser, "x" * 150, "guess")
        assert "Terlalu banyak percobaan masuk yang gagal" in _try(guesser, "x" * 150, "guess")
    assert AuditLog.objects.get(action="account.sign_in_locked").object_id == "x" * 64


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_stopped_too(personas, settings):
    settings.SIGAP_SIGN_IN_FAILURES_PER_HOUR = 12
    start = timezone.now().replace(minute=0, second=1, microsecond=0)
    with time_machine.travel(start, tick=False):
        sprayer = Client(REMOTE_ADDR="198.51.100.7")
        for n in range(12):
            _try(sprayer, f"user{n}", "Pilkada2020")
        assert "Terlalu banyak percobaan masuk yang gagal" in _try(sprayer, "mediator", RIGHT)
        assert _try(Client(REMOTE_ADDR="10.1.2.3"), "mediator", RIGHT) == "signed in"


@pytest.mark.django_db
def test_a_person_changes_their_own_password_and_their_other_sessions_end(personas):
    """There was no way to change one's password: a trusted reporter kept the one the administrator read out."""
    phone, office = Client(), Client()
    for client in (phone, office):
        assert client.login(username="trusted_reporter", password=RIGHT)
    page = phone.get(reverse("accounts:account")).content.decode()
    assert "Ganti kata sandi" in page and "trusted_reporter" in page
    assert reverse("accounts:account") in phone.get(reverse("home:home")).content.decode()  # the header's name
    url = reverse("accounts:account")
    wrong_old = phone.post(
        url, {"old_password": "nope", "new_password1": "x7!Gadingrejo-rw05", "new_password2": "x7!Gadingrejo-rw05"}
    )
    assert wrong_old.status_code == 200 and not AuditLog.objects.filter(action="account.password_changed").exists()
    too_common = phone.post(
        url, {"old_password": RIGHT, "new_password1": "password123", "new_password2": "password123"}
    )
    assert too_common.status_code == 200 and "terlalu umum" in too_common.content.decode()
    done = phone.post(
        url,
        {"old_password": RIGHT, "new_password1": "x7!Gadingrejo-rw05", "new_password2": "x7!Gadingrejo-rw05"},
        follow=True,
    )
    assert "Kata sandi diganti" in done.content.decode()
    assert phone.get(reverse("home:home")).status_code == 200  # this session goes on
    assert office.get(reverse("home:home")).status_code == 302  # the other one was signed out
    assert (
        AuditLog.objects.filter(
            action="account.password_changed", object_id=str(personas["trusted_reporter"].pk)
        ).count()
        == 1
    )
    assert not Client().login(username="trusted_reporter", password=RIGHT)
    assert Client().login(username="trusted_reporter", password="x7!Gadingrejo-rw05")


def test_the_account_page_needs_a_sign_in(client):
    assert client.get(reverse("accounts:account")).url.startswith("/masuk/")
