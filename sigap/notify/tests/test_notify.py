"""Notifications with a real SMTP server and a real HTTP receiver on 127.0.0.1."""

import hashlib
import hmac
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from sigap.alerts.choices import AlertKind, AlertState
from sigap.alerts.services import alert_raise, alert_transition
from sigap.conftest import GADINGREJO_KEC, PANGGUNGREJO
from sigap.notify.admin import ChannelForm
from sigap.notify.choices import ChannelKind, NotificationStatus
from sigap.notify.models import Channel, InAppMessage, Notification, RoutingRule
from sigap.notify.services import ack_url, claim_due, deliver_due, escalate_due
from sigap.risk.choices import RiskLevel
from sigap.risk.tests.factories import BUGUL_LOR, CITY

SECRET = "rahasia-bersama-0123456789"


@pytest.fixture
def receiver(http_receiver):
    return http_receiver


@pytest.fixture
def awake(settings):
    settings.SIGAP_QUIET_HOURS = (0, 0)


@pytest.fixture
def routed(db, region, organisations, personas, receiver, awake):
    city = region(CITY)
    kesbangpol = organisations["kesbangpol"]
    email = Channel.objects.create(
        name="Piket Bakesbangpol",
        kind=ChannelKind.EMAIL,
        config={"address": "piket@kesbangpol.test"},
        organisation=kesbangpol,
    )
    hook = Channel.objects.create(
        name="Ruang situasi",
        kind=ChannelKind.WEBHOOK,
        config={"url": f"{receiver.url}/sigap", "secret": SECRET},
        organisation=kesbangpol,
    )
    rule = RoutingRule.objects.create(name="Kota: Siaga ke atas", region=city, min_level=RiskLevel.SIAGA)
    rule.organisations.add(kesbangpol)
    return {"city": city, "email": email, "hook": hook}


def raise_alert(region, city, level=RiskLevel.SIAGA, at=None):
    return alert_raise(
        kind=AlertKind.LEVEL_RISE,
        city=city,
        regions=[region(BUGUL_LOR)],
        level=level,
        title="Kerawanan naik: Bugul Lor",
        reason="Bugul Lor: Waspada → Siaga",
        at=at or timezone.now(),
    )


@pytest.mark.django_db
def test_a_message_sent_after_the_alert_was_acknowledged_does_not_ask_for_it_again(
    region, routed, personas, smtp_server
):
    """Polres acknowledged at 07.40; the duty desk's mail, held back by a retry, still said "please acknowledge"
    (and its link answered that the alert was acknowledged already)."""
    alert = raise_alert(region, routed["city"])
    alert_transition(alert=alert, to=AlertState.ACKNOWLEDGED, actor=personas["responder"])
    assert deliver_due() == 2
    body = smtp_server[0].get_payload(decode=True).decode()
    responder = personas["responder"]
    assert f"Sudah diterima oleh {responder.get_full_name() or responder.username}" in body
    assert "Please acknowledge" not in body and "Mohon segera diterima" not in body
    assert "Already acknowledged" in body and "/terima/" in body  # the link still shows the alert


@pytest.mark.django_db
def test_an_alert_reaches_its_people_by_email_and_webhook(region, routed, receiver, smtp_server):
    alert = raise_alert(region, routed["city"])
    rows = Notification.objects.filter(alert=alert)
    assert rows.count() == 2 and set(rows.values_list("status", flat=True)) == {NotificationStatus.PENDING}
    assert deliver_due() == 2
    mail = smtp_server[0]
    assert mail["To"] == "piket@kesbangpol.test" and "[Siaga] Kerawanan naik: Bugul Lor" in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert "Peringatan #" in body and "/terima/" in body and "Please acknowledge" in body
    since = timezone.localtime(alert.triggered_at).strftime("%d/%m/%Y %H.%M")
    assert f"terpicu {since}" in body and f"triggered {since}" in body
    sent = receiver.requests[0]
    payload = json.loads(sent["raw"])
    assert payload["alert"] == alert.pk and payload["level"] == "siaga" and payload["ack_url"].count("/terima/") == 1
    expected = hmac.new(
        SECRET.encode(), sent["headers"]["X-Sigap-Timestamp"].encode() + b"." + sent["raw"], hashlib.sha256
    ).hexdigest()
    assert sent["headers"]["X-Sigap-Signature"] == f"sha256={expected}"
    assert sent["headers"]["Idempotency-Key"] == rows.get(channel=routed["hook"]).idempotency_key
    assert set(rows.values_list("status", flat=True)) == {NotificationStatus.SENT}


@pytest.mark.django_db
def test_the_outbox_commits_or_rolls_back_with_the_alert(region, routed):
    with pytest.raises(RuntimeError), transaction.atomic():
        raise_alert(region, routed["city"])
        raise RuntimeError("the alert change fails")
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_failures_are_retried_with_backoff_and_the_same_key(region, routed, receiver, time_machine):
    routed["email"].delete()
    time_machine.move_to("2020-12-09 10:00 +07:00", tick=False)
    raise_alert(region, routed["city"])
    receiver.fail = 2
    assert deliver_due() == 0
    row = Notification.objects.get()
    assert row.status == NotificationStatus.PENDING and row.attempts == 1 and "HTTP 503" in row.last_error
    assert row.next_attempt_at == timezone.now() + timedelta(seconds=30)
    assert deliver_due() == 0  # not due yet
    time_machine.shift(timedelta(seconds=31))
    assert deliver_due() == 0
    row.refresh_from_db()
    assert row.next_attempt_at == timezone.now() + timedelta(seconds=60)
    time_machine.shift(timedelta(seconds=61))
    assert deliver_due() == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 3
    assert [a.ok for a in row.delivery_attempts.all()] == [False, False, True]
    assert len({r["headers"]["Idempotency-Key"] for r in receiver.requests}) == 1 and len(receiver.requests) == 3


@pytest.mark.django_db
def test_a_refusal_is_not_retried_and_private_addresses_are_refused(region, routed, receiver, settings):
    routed["email"].delete()
    raise_alert(region, routed["city"])
    receiver.fail, receiver.code = 1, 410
    deliver_due()
    row = Notification.objects.get()
    assert row.status == NotificationStatus.FAILED and row.attempts == 1
    settings.SIGAP_NOTIFY_ALLOW_PRIVATE = False
    Notification.objects.update(status=NotificationStatus.PENDING, next_attempt_at=timezone.now())
    deliver_due()
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED and "private address" in row.last_error
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_a_worker_killed_mid_send_loses_nothing_and_doubles_nothing(region, routed, receiver, time_machine):
    routed["email"].delete()
    time_machine.move_to("2020-12-09 10:00 +07:00", tick=False)
    raise_alert(region, routed["city"])
    claimed = claim_due()  # the worker claims the row, then dies before sending
    assert len(claimed) == 1
    assert deliver_due() == 0 and receiver.requests == []  # another worker leaves a claimed row alone
    time_machine.shift(timedelta(minutes=6))  # after the lease the row is claimed again
    assert deliver_due() == 1
    assert deliver_due() == 0
    assert len(receiver.requests) == 1
    assert Notification.objects.get().status == NotificationStatus.SENT


@pytest.mark.django_db
def test_nobody_acknowledges_so_it_escalates_until_someone_does(
    client, region, organisations, personas, routed, receiver, smtp_server, time_machine, settings
):
    settings.SIGAP_ESCALATE_AFTER_MINUTES = 30
    leadership = personas["leadership"]
    Channel.objects.create(
        name="Pimpinan", kind=ChannelKind.EMAIL, config={"address": "walikota@pemkot.test"}, user=leadership
    )
    tier1 = RoutingRule.objects.create(name="Eskalasi ke pimpinan", region=routed["city"], min_level=2, tier=1)
    tier1.users.add(leadership)
    time_machine.move_to("2020-12-09 10:00 +07:00", tick=False)
    alert = raise_alert(region, routed["city"])
    deliver_due()
    assert len(smtp_server) == 1
    time_machine.shift(timedelta(minutes=10))
    assert escalate_due() == 0
    time_machine.shift(timedelta(minutes=21))
    assert escalate_due() == 3  # the tier-1 email, and reminders through both tier-0 channels
    assert escalate_due() == 0  # not twice
    deliver_due()
    subjects = sorted(m["Subject"] for m in smtp_server)
    assert any(s.startswith("[ESKALASI]") for s in subjects) and any(s.startswith("[PENGINGAT]") for s in subjects)
    to_leader = Notification.objects.get(purpose="escalation")
    page = client.get(ack_url(to_leader).replace("http://testserver", ""))
    assert page.status_code == 200 and "Terima" in page.content.decode()
    alert.refresh_from_db()
    assert alert.state == AlertState.TRIGGERED  # opening the link does not acknowledge
    client.post(ack_url(to_leader))
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.events.get(to_state="acknowledged").actor == leadership
    time_machine.shift(timedelta(hours=2))
    assert escalate_due() == 0
    assert client.get("/terima/bukan-tanda-tangan/").status_code == 404


@pytest.mark.django_db
def test_calls_to_acknowledge_an_alert_someone_acknowledged_meanwhile_are_not_sent(
    client, region, organisations, personas, routed, receiver, smtp_server, time_machine, settings
):
    """Escalations and reminders wait in the outbox (quiet hours, a worker that was down). When their turn comes
    after someone acknowledged the alert, they are dropped with the reason; the news of a closed alert too. The
    alert's page says so beside each message."""
    from sigap.alerts.services import alert_transition
    from sigap.notify.services import warn_area_reporters

    settings.SIGAP_ESCALATE_AFTER_MINUTES = 30
    leadership = personas["leadership"]
    Channel.objects.create(
        name="Pimpinan", kind=ChannelKind.EMAIL, config={"address": "wk@pemkot.test"}, user=leadership
    )
    RoutingRule.objects.create(name="Eskalasi", region=routed["city"], min_level=2, tier=1).users.add(leadership)
    time_machine.move_to("2020-12-09 10:00 +07:00", tick=False)
    alert = raise_alert(region, routed["city"])
    deliver_due()
    time_machine.shift(timedelta(minutes=31))
    assert escalate_due() == 3  # not yet delivered when the analyst acknowledges
    alert_transition(alert=alert, to=AlertState.ACKNOWLEDGED, actor=personas["analyst"])
    sent_before = len(smtp_server)
    assert deliver_due() == 0 and len(smtp_server) == sent_before
    dropped = Notification.objects.filter(purpose__in=["escalation", "reminder"])
    assert {(n.status, n.dropped_because) for n in dropped} == {("dropped", f"peringatan #{alert.pk} sudah diterima")}
    Channel.objects.create(name="Aplikasi", kind=ChannelKind.IN_APP, user=personas["trusted_reporter"])
    (warning,) = warn_area_reporters(alert, at=timezone.now())  # the news still goes while the alert is open ...
    alert_transition(alert=alert, to=AlertState.CLOSED, actor=personas["analyst"], note="Sudah reda")
    assert deliver_due() == 0  # ... but not once it is closed
    warning.refresh_from_db()
    assert warning.dropped_because == f"peringatan #{alert.pk} sudah ditutup"
    client.force_login(personas["analyst"])
    page = client.get(f"/peringatan/{alert.pk}/").content.decode()
    assert "Tidak dikirim: tidak lagi benar" in page and f"peringatan #{alert.pk} sudah diterima" in page


@pytest.mark.django_db
def test_a_link_sent_with_a_message_that_is_not_an_alerts_leads_to_its_page(client, routed, settings):
    """Task and case messages used to carry an acknowledgement link too; the ones already sent still work."""
    settings.SIGAP_PUBLIC_URL = "https://sigap.pasuruankota.go.id"
    now = timezone.now()

    def message(key, body):
        return Notification.objects.create(
            channel=routed["email"],
            purpose="task",
            subject="Tugas",
            body=body,
            idempotency_key=key,
            next_attempt_at=now,
            created_at=now,
        )

    task = message("old-task", "Tugas lewat batas.\nhttps://sigap.pasuruankota.go.id/tugas/#tugas-7")
    assert client.get(ack_url(task).replace("https://sigap.pasuruankota.go.id", "")).url == "/tugas/#tugas-7"
    elsewhere = message("old-other", "Lihat https://contoh.example/tugas/")
    page = client.get(ack_url(elsewhere).replace("https://sigap.pasuruankota.go.id", ""))
    assert page.status_code == 200 and "Tidak ada yang perlu diterima" in page.content.decode()


@pytest.mark.django_db
def test_the_trusted_reporters_of_an_alerts_area_are_warned_and_cannot_acknowledge_it(
    client, region, routed, personas, settings
):
    """UU 7/2012's first prevention effort: the tokoh and the Bhabinkamtibmas of a kelurahan report and receive
    warnings. Their area says where they are (no routing rule); the warning asks for reports, not an acknowledgement,
    which stays the team's. A reporter of another kecamatan hears nothing, one for the whole kecamatan does."""
    from sigap.accounts.models import User
    from sigap.core.roles import Role
    from sigap.risk.models import AreaRisk

    settings.SIGAP_PUBLIC_URL = "https://sigap.pasuruankota.go.id"
    tokoh = personas["trusted_reporter"]  # Bugul Lor
    elsewhere = User.objects.create(
        username="tokoh-gadingrejo", role=Role.TRUSTED_REPORTER, area=region(GADINGREJO_KEC)
    )
    kecamatan = User.objects.create(
        username="babinsa-panggungrejo", role=Role.TRUSTED_REPORTER, area=region(PANGGUNGREJO)
    )
    for user in (tokoh, elsewhere, kecamatan):
        Channel.objects.create(name=f"Aplikasi {user.username}", kind=ChannelKind.IN_APP, user=user)
    alert = raise_alert(region, routed["city"])
    warnings = Notification.objects.filter(purpose="warning")
    assert {n.channel.user for n in warnings} == {tokoh, kecamatan}
    deliver_due(limit=50)
    (message,) = InAppMessage.objects.filter(user=tokoh)
    assert "Peringatan dini: tingkat kerawanan Siaga di Bugul Lor" in message.body
    assert "/terima/" not in message.body and message.body.endswith("/lapor/terpercaya/")
    page = client.get(ack_url(warnings.get(channel__user=tokoh)).replace("https://sigap.pasuruankota.go.id", ""))
    assert page.url == "/lapor/terpercaya/"  # the link leads to the report form, not to an acknowledgement
    alert.refresh_from_db()
    assert alert.state == AlertState.TRIGGERED
    AreaRisk.objects.create(
        region=region(BUGUL_LOR), day=timezone.localdate(), score=61.0, level=RiskLevel.SIAGA, drivers=[]
    )
    client.force_login(tokoh)
    home = client.get("/beranda/").content.decode()
    assert "Tingkat peringatan di Bugul Lor" in home and "Siaga" in home and "(1 baru)" in home


@pytest.mark.django_db
def test_the_directory_people_of_an_alerts_area_are_warned_without_an_account(region, routed, settings, smtp_server):
    """Most RT/RW heads and tokoh have no account: only trusted reporters with one were warned. A person of the
    directory who still serves, with a channel of their own (an e-mail address or an SMS gateway number set by the
    administrator), is warned of their kelurahan's alerts too, with the public report form; one who no longer
    serves, or lives elsewhere, is not."""
    from sigap.directory.choices import PersonRole
    from sigap.directory.models import Person

    settings.SIGAP_PUBLIC_URL = "https://sigap.pasuruankota.go.id"
    ketua_rw = Person.objects.create(name="Pak Slamet", role=PersonRole.KETUA_RT_RW, region=region(BUGUL_LOR))
    replaced = Person.objects.create(
        name="Pak Darto", role=PersonRole.KETUA_RT_RW, region=region(BUGUL_LOR), active=False
    )
    far = Person.objects.create(name="Bu Sri", role=PersonRole.TOKOH_MASYARAKAT, region=region(GADINGREJO_KEC))
    for person, address in (
        (ketua_rw, "slamet@example.org"),
        (replaced, "darto@example.org"),
        (far, "sri@example.org"),
    ):
        Channel.objects.create(name=person.name, kind=ChannelKind.EMAIL, person=person, config={"address": address})
    raise_alert(region, routed["city"])
    warned = Notification.objects.filter(purpose="warning", channel__person__isnull=False)
    assert [n.channel.person for n in warned] == [ketua_rw]
    deliver_due(limit=50)
    (mail,) = [m for m in smtp_server if m["To"] == "slamet@example.org"]
    text = mail.get_payload(decode=True).decode()
    assert "Peringatan dini: tingkat kerawanan Siaga di Bugul Lor" in text
    assert text.rstrip().endswith("https://sigap.pasuruankota.go.id/lapor/")  # no account: the public form


@pytest.mark.django_db
def test_a_trusted_reporter_also_in_the_directory_is_warned_once(region, routed, personas, settings, smtp_server):
    """A Bhabinkamtibmas with an account is often in the directory too, and the administrator may give both the
    same phone number or mailbox: one warning reaches them, the one linking to their own report form. A neighbour
    on another number is still warned."""
    from sigap.directory.choices import PersonRole
    from sigap.directory.models import Person

    settings.SIGAP_PUBLIC_URL = "https://sigap.pasuruankota.go.id"
    tokoh = personas["trusted_reporter"]  # Bugul Lor
    gateway = {"url": "http://127.0.0.1:9/sms", "token": "t"}
    Channel.objects.create(
        name="HP", kind=ChannelKind.GATEWAY, user=tokoh, config={**gateway, "phone": "0812-3456-7890"}
    )
    Channel.objects.create(name="Surel", kind=ChannelKind.EMAIL, user=tokoh, config={"address": "Bhabin@Example.org"})
    same = Person.objects.create(name="Aiptu Bhabin", role=PersonRole.BHABINKAMTIBMAS, region=region(BUGUL_LOR))
    Channel.objects.create(
        name="SMS", kind=ChannelKind.GATEWAY, person=same, config={**gateway, "phone": "+6281234567890"}
    )
    Channel.objects.create(name="Surel", kind=ChannelKind.EMAIL, person=same, config={"address": "bhabin@example.org"})
    neighbour = Person.objects.create(name="Pak Slamet", role=PersonRole.KETUA_RT_RW, region=region(BUGUL_LOR))
    Channel.objects.create(
        name="SMS", kind=ChannelKind.GATEWAY, person=neighbour, config={**gateway, "phone": "081299990000"}
    )
    raise_alert(region, routed["city"])
    warned = Notification.objects.filter(purpose="warning").select_related("channel")
    assert sorted((n.channel.kind, n.channel.user_id is not None) for n in warned) == [
        (ChannelKind.EMAIL, True),
        (ChannelKind.GATEWAY, False),  # the neighbour
        (ChannelKind.GATEWAY, True),
    ]
    assert all("/lapor/terpercaya/" in n.body for n in warned if n.channel.user_id)


def test_one_phone_written_four_ways_is_one_destination():
    """0812..., +62 812..., 62812... and 812... (typed without its 0) are one phone: warned once."""
    from sigap.notify.services import channel_destination

    forms = ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "812 3456 7890"]
    found = {channel_destination(Channel(kind=ChannelKind.GATEWAY, config={"phone": p})) for p in forms}
    assert found == {(ChannelKind.GATEWAY, "6281234567890")}
    other = channel_destination(Channel(kind=ChannelKind.GATEWAY, config={"phone": "0343 421234"}))
    assert other == (ChannelKind.GATEWAY, "62343421234")  # a landline keeps its area code


@pytest.mark.django_db
def test_an_administrator_gives_a_person_a_channel_on_the_persons_page(client, personas, region):
    """The people warned without an account got their channel in the channel list, picked by number: now on the
    person's own page, checked as there (an in-app inbox needs an account; the number must be one)."""
    from django.urls import reverse

    from sigap.directory.choices import PersonRole
    from sigap.directory.models import Person

    person = Person.objects.create(name="Pak Slamet", role=PersonRole.KETUA_RT_RW, region=region(BUGUL_LOR))
    client.force_login(personas["admin"])
    url = reverse("admin:directory_person_change", args=[person.pk])
    assert 'name="channels-0-config"' in client.get(url).content.decode()
    form = {
        **{"name": person.name, "role": person.role, "region": person.region_id, "active": "on"},
        **{"channels-TOTAL_FORMS": "1", "channels-INITIAL_FORMS": "0", "channels-MAX_NUM_FORMS": "1000"},
        **{"channels-0-name": "SMS Pak Slamet", "channels-0-active": "on"},
    }
    inbox = client.post(url, {**form, "channels-0-kind": "in_app", "channels-0-config": "{}"})
    assert inbox.status_code == 200 and "belongs to a user account" in inbox.content.decode()
    no_number = {"url": "http://127.0.0.1:9/sms", "phone": "12"}
    refused = client.post(url, {**form, "channels-0-kind": "gateway", "channels-0-config": json.dumps(no_number)})
    assert refused.status_code == 200 and "gateway needs a &#x27;phone&#x27; number" in refused.content.decode()
    assert not person.channels.exists()
    sms = {"url": "http://127.0.0.1:9/sms", "phone": "0812 3456 7890"}
    saved = client.post(url, {**form, "channels-0-kind": "gateway", "channels-0-config": json.dumps(sms)})
    assert saved.status_code == 302
    (channel,) = person.channels.all()
    assert channel.config["phone"] == "081234567890" and channel.user is None


def test_an_in_app_channel_needs_a_user_account(db, region):
    from sigap.directory.choices import PersonRole
    from sigap.directory.models import Person

    person = Person.objects.create(name="Pak Slamet", role=PersonRole.KETUA_RT_RW, region=region(BUGUL_LOR))
    form = ChannelForm(
        data={"name": "Kotak masuk", "kind": ChannelKind.IN_APP, "config": "{}", "person": person.pk, "active": True}
    )
    assert not form.is_valid() and "user" in form.errors


@pytest.mark.django_db
def test_quiet_hours_hold_back_all_but_awas(region, routed, settings, time_machine):
    settings.SIGAP_QUIET_HOURS = (22, 6)
    time_machine.move_to("2020-12-09 23:00 +07:00", tick=False)
    siaga = raise_alert(region, routed["city"])
    held = Notification.objects.filter(alert=siaga).first()
    assert timezone.localtime(held.next_attempt_at).hour == 6
    awas = alert_raise(
        kind=AlertKind.GRAVE_INCIDENT,
        city=routed["city"],
        regions=[region("35.75.01.1001")],
        level=RiskLevel.AWAS,
        title="Eskalasi",
        reason="korban meninggal",
        at=timezone.now(),
    )
    assert Notification.objects.filter(alert=awas).first().next_attempt_at == timezone.now()


@pytest.mark.django_db
def test_in_app_messages_reach_the_inbox(client, region, routed, personas, settings):
    settings.SIGAP_PUBLIC_URL = "https://sigap.pasuruankota.go.id"
    analyst = personas["analyst"]
    Channel.objects.create(name="Aplikasi", kind=ChannelKind.IN_APP, user=analyst)
    rule = RoutingRule.objects.create(name="Analis", region=routed["city"], min_level=2)
    rule.users.add(analyst)
    routed["email"].delete()
    routed["hook"].delete()
    raise_alert(region, routed["city"])
    deliver_due()
    assert InAppMessage.objects.filter(user=analyst).count() == 1
    client.force_login(analyst)
    assert 'Kotak masuk <strong class="unread">(1 baru)</strong>' in client.get("/beranda/").content.decode()
    page = client.get("/kotak-masuk/").content.decode()
    assert "Kerawanan naik: Bugul Lor" in page
    assert "(1 baru)" not in client.get("/beranda/").content.decode()  # read once opened
    assert '<a href="https://sigap.pasuruankota.go.id/terima/' in page  # the acknowledgement link can be followed


@pytest.mark.django_db
def test_the_inbox_pages_through_older_messages_and_marks_only_those_shown_read(client, personas):
    from datetime import timedelta

    from sigap.notify.views import INBOX_PAGE_SIZE

    analyst = personas["analyst"]
    channel = Channel.objects.create(name="Aplikasi", kind=ChannelKind.IN_APP, user=analyst)
    start = timezone.now() - timedelta(days=30)
    for number in range(INBOX_PAGE_SIZE + 5):
        notification = Notification.objects.create(
            channel=channel,
            purpose="task",
            subject=f"Pesan {number:02d}",
            body="-",
            idempotency_key=f"inbox-test-{number}",
            next_attempt_at=start,
            created_at=start,
        )
        InAppMessage.objects.create(
            user=analyst, notification=notification, subject=notification.subject, body="-", at=start
        )  # one moment for all: the page order must still be stable
    client.force_login(analyst)
    first = client.get("/kotak-masuk/").content.decode()
    assert f"Pesan {INBOX_PAGE_SIZE + 4:02d}" in first and "Pesan 04" not in first and 'rel="next"' in first
    assert InAppMessage.objects.filter(user=analyst, read_at=None).count() == 5  # the older page is still unread
    assert "(5 baru)" in client.get("/beranda/").content.decode()
    older = client.get("/kotak-masuk/?page=2").content.decode()
    assert "Pesan 04" in older and "Pesan 00" in older and f"Pesan {INBOX_PAGE_SIZE + 4:02d}" not in older
    assert InAppMessage.objects.filter(user=analyst, read_at=None).count() == 0
    assert client.get("/kotak-masuk/?page=banyak").status_code == 200  # a mangled page number shows the first


@pytest.mark.django_db
def test_channels_are_validated_and_can_send_a_test(routed, organisations, smtp_server):
    bad = ChannelForm(
        data={
            "name": "x",
            "kind": "email",
            "config": '{"address": "bukan-email"}',
            "organisation": organisations["kesbangpol"].pk,
            "active": True,
        }
    )
    assert not bad.is_valid() and "valid 'address'" in bad.errors["config"][0]
    weak = ChannelForm(
        data={
            "name": "x",
            "kind": "webhook",
            "config": '{"url": "https://x.test", "secret": "pendek"}',
            "organisation": organisations["kesbangpol"].pk,
            "active": True,
        }
    )
    assert not weak.is_valid() and "16 characters" in weak.errors["config"][0]
    out = StringIO()
    call_command("notify", "test", str(routed["email"].pk), stdout=out)
    call_command("notify", "work", "--once", stdout=out)
    assert smtp_server[0]["Subject"].startswith("[UJI]")


@pytest.mark.django_db
def test_routing_preview_shows_who_would_be_told(client, region, routed, personas):
    client.force_login(personas["analyst"])
    page = client.get("/notifikasi/pratinjau/", {"region": region(BUGUL_LOR).pk, "level": 2}).content.decode()
    assert "Piket Bakesbangpol" in page and "Ruang situasi" in page
    quiet = client.get("/notifikasi/pratinjau/", {"region": region(BUGUL_LOR).pk, "level": 1}).content.decode()
    assert "Piket Bakesbangpol" not in quiet
    client.force_login(personas["responder"])
    assert client.get("/notifikasi/pratinjau/").status_code == 403


@pytest.mark.django_db
def test_telegram_and_gateway_speak_their_own_forms(region, routed, receiver, settings):
    routed["email"].delete()
    routed["hook"].delete()
    settings.SIGAP_TELEGRAM_API = f"{receiver.url}/tg"
    kesbangpol = routed["email"].organisation
    Channel.objects.create(
        name="Grup Telegram",
        kind=ChannelKind.TELEGRAM,
        config={"chat_id": "-1001234", "bot_token": "123:ABC"},
        organisation=kesbangpol,
    )
    Channel.objects.create(
        name="SMS Kapolsek",
        kind=ChannelKind.GATEWAY,
        config={"url": f"{receiver.url}/sms", "phone": "+6281234567890", "token": "t0k"},
        organisation=kesbangpol,
    )
    raise_alert(region, routed["city"])
    assert deliver_due() == 2
    by_path = {r["path"]: r for r in receiver.requests}
    telegram = json.loads(by_path["/tg/bot123:ABC/sendMessage"]["raw"])
    assert telegram["chat_id"] == "-1001234" and "Kerawanan naik: Bugul Lor" in telegram["text"]
    sms = by_path["/sms"]
    body = json.loads(sms["raw"])
    assert body["to"] == "+6281234567890" and len(body["text"]) <= 160 and "/terima/" in body["text"]
    assert sms["headers"]["Authorization"] == "Bearer t0k" and sms["headers"]["Idempotency-Key"] == body["id"]


@pytest.mark.django_db
def test_a_daily_digest_per_organisation_once_a_day(region, routed, smtp_server, receiver, time_machine):
    from sigap.notify.services import digests_due

    time_machine.move_to("2020-12-10 06:30 +07:00", tick=False)
    raise_alert(region, routed["city"])
    deliver_due()
    assert digests_due() == 0  # before SIGAP_DIGEST_HOUR
    time_machine.move_to("2020-12-10 07:05 +07:00", tick=False)
    assert digests_due() == 2  # the organisation's email and webhook
    assert digests_due() == 0  # once a day
    smtp_server.clear()
    deliver_due()
    digest = smtp_server[0]
    assert digest["Subject"].startswith("[Ringkasan] Sigap 10-12-2020")
    assert "1 peringatan terbuka" in digest.get_payload(decode=True).decode()
    time_machine.move_to("2020-12-11 07:05 +07:00", tick=False)
    assert digests_due() == 2
