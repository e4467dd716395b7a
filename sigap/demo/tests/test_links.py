"""Every link that a page shows its reader opens for that reader: a crawl of the demo month as each persona (and
as a visitor without an account). A link to a page that answers 403 or 404 is a dead end in a user's day: the
statuses page linked from every responder's case list, the acknowledgement link in every task message."""

import re
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
NOT_FOLLOWED = re.compile(r"^/(keluar|admin)/")
SAME_SHAPE_PAGES = 2  # /penanganan/3/ and /penanganan/7/ are the same page twice: two of each shape are enough


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _crawl(client: Client) -> tuple[int, list[tuple[str, str, int]]]:
    """(pages opened, [(page, link, status)] for every link that did not open)."""
    queue, seen, shapes, broken = [("", "/")], {"/"}, dict[str, int](), []
    opened = 0
    while queue:
        came_from, url = queue.pop(0)
        shape = re.sub(r"\d+", "N", urlsplit(url).path)
        shapes[shape] = shapes.get(shape, 0) + 1
        if shapes[shape] > SAME_SHAPE_PAGES:
            continue
        response = client.get(url, follow=True)  # the landing page sends a signed-in reader home
        opened += 1
        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
        if response.status_code != 200 or urlsplit(landed).path == "/masuk/" != urlsplit(url).path:
            broken.append((came_from, url, response.status_code))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            parts = urlsplit(urljoin(url, href))
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in seen and not NOT_FOLLOWED.match(parts.path):
                seen.add(link)
                queue.append((url, link))
    return opened, broken


@pytest.mark.django_db
def test_every_link_a_reader_is_shown_opens_for_that_reader():
    seed_demo(seed=5)
    # In-app messages are written by the worker's delivery: the inbox shows them with their links.
    for notification in Notification.objects.filter(channel__kind=ChannelKind.IN_APP).select_related("channel"):
        deliver(notification)
    one_per_role = {user.role: user for user in User.objects.filter(is_active=True).order_by("-username")}
    readers = [None, *one_per_role.values()]
    for user in readers:
        client = Client()
        if user is not None:
            client.force_login(user)
        opened, broken = _crawl(client)
        assert opened >= 5, (user, opened, broken)
        assert not broken, (user, broken)
