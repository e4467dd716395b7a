"""Shared fixtures: Kota Pasuruan loaded once per test session, and one persona per role."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command

from sigap.accounts.models import User
from sigap.core import ratelimit
from sigap.core.roles import Role
from sigap.directory.choices import OrganisationKind
from sigap.directory.models import Organisation
from sigap.intake.partners import forget_partners
from sigap.regions.models import Region
from sigap.triage.placement import forget_gazetteer

# Playwright's sync API runs an event loop in the main thread (stack.md §4); harmless elsewhere.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CITY = "35.75"
BUGUL_LOR = "35.75.04.1010"
PANGGUNGREJO = "35.75.04"
GADINGREJO_KEC = "35.75.01"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The test database starts with Kota Pasuruan in the gazetteer (tests roll back on top of it)."""
    with django_db_blocker.unblock():
        call_command("regions", "load", CITY, "--no-progress", verbosity=0)
    yield


@pytest.fixture(scope="session", autouse=True)
def _collected_static() -> None:
    """Pages use the manifest storage of production, which needs `collectstatic` (as `make run` does)."""
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate counts roll back with each test, but each process also remembers who was over a limit this hour."""
    ratelimit._over_until.clear()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The cache outlives a test's database (the public summary is kept a minute; each process trusts its
    gazetteer and the partners' tokens for seconds): each test starts empty."""
    cache.clear()
    forget_gazetteer()
    forget_partners()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def region(db: None) -> Any:
    def get(code: str) -> Region:
        return Region.objects.get(code=code)

    return get


@pytest.fixture
def organisations(db: None, region: Any) -> dict[str, Organisation]:
    city, panggungrejo, gadingrejo = region(CITY), region(PANGGUNGREJO), region(GADINGREJO_KEC)
    made = {
        "kesbangpol": Organisation.objects.create(name="Bakesbangpol", kind=OrganisationKind.KESBANGPOL),
        "polsek_panggungrejo": Organisation.objects.create(name="Polsek Panggungrejo", kind=OrganisationKind.POLRI),
        "polsek_gadingrejo": Organisation.objects.create(name="Polsek Gadingrejo", kind=OrganisationKind.POLRI),
        "fkub": Organisation.objects.create(name="FKUB", kind=OrganisationKind.FKUB),
    }
    made["kesbangpol"].areas.set([city])
    made["polsek_panggungrejo"].areas.set([panggungrejo])
    made["polsek_gadingrejo"].areas.set([gadingrejo])
    made["fkub"].areas.set([panggungrejo])
    return made


@pytest.fixture
def personas(db: None, organisations: dict[str, Organisation], region: Any) -> dict[str, User]:
    """One account per role; the responder and mediator cover Kecamatan Panggungrejo only."""

    def user(username: str, role: Role, **extra: Any) -> User:
        made = User(username=username, role=role, first_name=username.title(), **extra)
        made.set_password("correct horse battery staple")
        made.save()
        return made

    return {
        "admin": user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
        "analyst": user("analyst", Role.ANALYST, organisation=organisations["kesbangpol"]),
        "responder": user("responder", Role.RESPONDER, organisation=organisations["polsek_panggungrejo"]),
        "mediator": user("mediator", Role.MEDIATOR, organisation=organisations["fkub"]),
        "leadership": user("leadership", Role.LEADERSHIP),
        "trusted_reporter": user("trusted_reporter", Role.TRUSTED_REPORTER, area=region(BUGUL_LOR)),
    }


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright hook: Debian's Chromium, headless."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def gazetteer(transactional_db: None) -> None:
    """For tests that commit (live server, browser): transactional tests empty the tables afterwards."""
    if not Region.objects.filter(code=CITY).exists():
        call_command("regions", "load", CITY, "--no-progress", verbosity=0)


@pytest.fixture
def live_demo(gazetteer: None, settings: Any) -> dict[str, str]:
    """The demo's data behind the live server, for browser tests: each persona's user name -> password."""
    from sigap.demo.generator import seed_demo

    # The live server speaks plain HTTP, so cookies may not demand HTTPS here.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    # The live server serves /static/ through the finders, which know no hashed manifest names; production
    # (granian + WhiteNoise + manifest) is exercised in core/tests/test_serve.py.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return {p.username: p.password for p in seed_demo(seed=2020).personas}


@pytest.fixture
def artifacts() -> Any:
    """Where browser tests keep their screenshots (test-artifacts/ in the checkout, ignored by git)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[list[Any]]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd); Django's SMTP backend sends to it. Yields the received mails."""
    import socket
    from email import message_from_bytes

    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd API)
            received.append(message_from_bytes(envelope.original_content))
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield received
    finally:
        controller.stop()


class Receiver:
    """An HTTP endpoint on 127.0.0.1 that records what it receives; `fail` answers 503 (or a given code) that many
    times."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.requests: list[dict[str, Any]] = []
        self.fail = 0
        self.code = 503
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append({"path": self.path, "headers": dict(self.headers), "raw": raw})
                if outer.fail > 0:
                    outer.fail -= 1
                    self.send_response(outer.code)
                else:
                    self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def http_receiver(settings: Any) -> Iterator[Receiver]:
    """A webhook or gateway endpoint on 127.0.0.1 (outbound sends to private addresses allowed for the test)."""
    settings.SIGAP_NOTIFY_ALLOW_PRIVATE = True
    receiver = Receiver()
    yield receiver
    receiver.close()
