"""A person adds an e-mail address of their own on the account page: the messages meant for them alone reach them
there, a test message shows a mistyped address at once, and they can stop it again."""

import pytest
from django.test import Client
from django.urls import reverse

from sigap.core.models import AuditLog
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel, Notification
from sigap.notify.services import channels_for, deliver_due


@pytest.mark.django_db
def test_an_analyst_adds_an_own_address_receives_a_test_and_stops_it(personas, smtp_server):
    """The reminders meant for one analyst (an incident they check, a day they chose to look again) reached them
    only if the administrator had made them a channel; otherwise the whole secretariat got them."""
    analyst = personas["analyst"]
    client = Client()
    client.force_login(analyst)
    url = reverse("notify:my_channels")
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Tidak ada kanal milik Anda sendiri" in page
    answer = client.post(url, {"address": "analis.piket@example.org"}, follow=True)
    assert "Pesan uji sedang dikirim ke analis.piket@example.org" in answer.content.decode()
    channel = Channel.objects.get(user=analyst)
    assert channel.kind == ChannelKind.EMAIL and channel.active and channels_for(users=[analyst]) == [channel]
    assert deliver_due(limit=10) == 1
    assert [m["To"] for m in smtp_server] == ["analis.piket@example.org"]
    assert "kanal berfungsi" in smtp_server[0]["Subject"]
    # Adding the same address again makes no second channel; a bad one is refused and saves nothing.
    client.post(url, {"address": "analis.piket@example.org"})
    assert Channel.objects.filter(user=analyst).count() == 1
    refused = client.post(url, {"address": "analis.piket@"}, follow=True).content.decode()
    assert "bukan alamat e-mail" in refused and Channel.objects.filter(user=analyst).count() == 1
    # Three addresses at most (each gets a test message at once).
    for n in (2, 3):
        client.post(url, {"address": f"analis{n}@example.org"})
    capped = client.post(url, {"address": "analis4@example.org"}, follow=True).content.decode()
    assert "Paling banyak 3 alamat" in capped and Channel.objects.filter(user=analyst, active=True).count() == 3
    for extra in Channel.objects.filter(
        user=analyst, config__address__in=["analis2@example.org", "analis3@example.org"]
    ):
        client.post(url, {"remove": extra.pk})
    # Nobody stops another person's channel; the analyst stops their own, which stays in the history.
    client.force_login(personas["responder"])
    assert client.post(url, {"remove": channel.pk}).status_code == 404
    client.force_login(analyst)
    client.post(url, {"remove": channel.pk})
    channel.refresh_from_db()
    assert not channel.active and channels_for(users=[analyst]) == []
    assert Notification.objects.filter(channel=channel).exists()
    actions = list(AuditLog.objects.filter(object_id=str(channel.pk)).values_list("action", flat=True))
    assert actions.count("channel.added") == 2 and "channel.removed" in actions and "channel.test" in actions
    assert Channel.objects.filter(user=analyst, active=True).count() == 0


@pytest.mark.django_db
def test_the_in_app_inbox_is_not_stopped_from_the_account_page(personas):
    inbox = Channel.objects.create(name="Kotak masuk", kind=ChannelKind.IN_APP, user=personas["mediator"])
    client = Client()
    client.force_login(personas["mediator"])
    assert client.post(reverse("notify:my_channels"), {"remove": inbox.pk}).status_code == 404
    inbox.refresh_from_db()
    assert inbox.active
