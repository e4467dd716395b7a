"""The demo month crawled as each role (one account per role) and as a visitor without an account.

* Every link that a page shows its reader opens for that reader: a link that answers 403 or 404 is a dead end in a
  user's day (the statuses page linked from every responder's case list, a case named on an incident that a
  mediator cannot open, the acknowledgement link in every task message).
* Every form answers empty and mangled input without a server error (an id field holding text raised in the
  database layer).
* A table stacked into cards on a phone names the column of every cell but a row's first (the public page showed
  its counts as bare numbers, without saying which was reports and which resolved)."""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from sigap.accounts.models import User
from sigap.demo.generator import seed_demo
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Notification
from sigap.notify.services import deliver

# Sign-out and language forms are POSTs; the Django admin is the administrator's own tool and not crawled.
NOT_FOLLOWED = re.compile(r"^/(keluar|admin|i18n)/")
SAME_SHAPE_PAGES = 2  # /penanganan/3/ and /penanganan/7/ are the same page twice: two of each shape are enough
MANGLED = "x" * 3000 + "'\"<>\u202e"


class _Page(HTMLParser):
    """The links of a page and its POST forms (action and field names)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.forms: list[tuple[str, list[str]]] = []
        self._form: tuple[str, list[str]] | None = None
        self.stacked_cells_unnamed = 0  # cells after a row's first in a table.stacked without a data-label
        self._tables: list[bool] = []  # for each open table: is it stacked
        self._cell = 0  # position of the next cell in the current row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        elif tag == "form":
            post = (a.get("method") or "").lower() == "post"
            self._form = (a.get("action") or "", []) if post else None
            if self._form is not None:
                self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea") and a.get("name"):
            self._form[1].append(a["name"] or "")
        elif tag == "table":
            self._tables.append("stacked" in (a.get("class") or "").split())
        elif tag == "tr":
            self._cell = 0
        elif tag in ("td", "th") and self._tables:
            if self._tables[-1] and tag == "td" and self._cell > 0 and not a.get("data-label"):
                self.stacked_cells_unnamed += 1
            self._cell += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "table" and self._tables:
            self._tables.pop()


def _local(base: str, href: str) -> str | None:
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver") or NOT_FOLLOWED.match(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _crawl(client: Client) -> Iterator[tuple[str, str, int, _Page | None]]:
    """(the page that linked, the link, its status, the parsed page) for each page reached, two of each shape."""
    queue, seen, shapes = [("", "/")], {"/"}, dict[str, int]()
    while queue:
        came_from, url = queue.pop(0)
        shape = re.sub(r"\d+", "N", urlsplit(url).path)
        shapes[shape] = shapes.get(shape, 0) + 1
        if shapes[shape] > SAME_SHAPE_PAGES:
            continue
        response = client.get(url, follow=True)  # the landing page sends a signed-in reader home
        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
        sent_to_login = urlsplit(landed).path == "/masuk/" != urlsplit(url).path
        status = 401 if sent_to_login else response.status_code
        page = None
        if status == 200 and response.get("Content-Type", "").startswith("text/html"):
            page = _Page()
            page.feed(response.content.decode())
            for href in page.hrefs:
                link = _local(url, href)
                if link is not None and link not in seen:
                    seen.add(link)
                    queue.append((url, link))
        yield came_from, url, status, page


def _readers() -> list[User | None]:
    one_per_role = {user.role: user for user in User.objects.filter(is_active=True).order_by("-username")}
    return [None, *one_per_role.values()]


@pytest.mark.django_db
def test_every_link_a_reader_is_shown_opens_for_that_reader_and_stacked_tables_name_their_columns(settings):
    settings.SIGAP_PUBLIC_URL = "http://testserver"  # so that the links inside messages are followed too
    seed_demo()  # the month that `make run` shows
    # In-app messages are written by the worker's delivery: the inbox shows them with their links.
    for notification in Notification.objects.filter(channel__kind=ChannelKind.IN_APP).select_related("channel"):
        deliver(notification)
    for user in _readers():
        client = Client()
        if user is not None:
            client.force_login(user)
        pages = list(_crawl(client))
        assert len(pages) >= 5, (user, pages[:3])
        broken = [(came_from, url, status) for came_from, url, status, _ in pages if status != 200]
        assert not broken, (user, broken)
        unnamed = [url for _, url, _, page in pages if page and page.stacked_cells_unnamed]
        assert not unnamed, (user, unnamed)


@pytest.mark.django_db
def test_every_form_answers_empty_and_mangled_input_without_a_server_error():
    seed_demo()  # the month that `make run` shows
    failures = []
    for user in _readers():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for _, url, _, page in list(_crawl(client)):
            for action, fields in page.forms if page else []:
                target = _local(url, action or url)
                if target is None:
                    continue
                for value in ("", MANGLED):
                    data = {name: value for name in fields if name != "csrfmiddlewaretoken"}
                    status = client.post(target, data).status_code
                    if status >= 500:
                        failures.append((getattr(user, "username", None), url, target, value[:5], status))
    assert not failures
