from datetime import timedelta

import pytest
from django.core.management import call_command

from sigap.alerts.choices import AlertKind, AlertState
from sigap.alerts.models import Alert
from sigap.alerts.services import (
    _NEIGHBOURS,
    AlertStateError,
    _neighbours,
    alert_merge,
    alert_override,
    alert_raise,
    alert_transition,
)
from sigap.core.models import AuditLog
from sigap.notify.models import Channel, Notification
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.choices import RiskLevel
from sigap.risk.models import AreaRisk
from sigap.risk.services import risk_recompute
from sigap.risk.tests.factories import BUGUL_LOR, CITY, DAY, at, quiet_history, verified
from sigap.triage.choices import IncidentStatus
from sigap.triage.services import incident_transition, incident_update_facts


@pytest.fixture
def city(region):
    return region(CITY)


@pytest.fixture
def calm_city(city):
    kelurahan = list(Region.objects.under(CITY).filter(level=Level.DESA_KELURAHAN))
    quiet_history(kelurahan, DAY - timedelta(days=10))
    return city


def surge(region, day, n=4):
    return [verified(region, day - timedelta(days=i)) for i in range(n)]


@pytest.mark.django_db
def test_a_level_rise_raises_one_alert_with_its_reasons(region, calm_city):
    surge(region(BUGUL_LOR), DAY)
    risk_recompute(calm_city, DAY - timedelta(days=4), DAY)
    risk_recompute(calm_city, DAY, DAY)  # the same day again: nothing new
    alerts = Alert.objects.all()
    assert alerts.count() == 1
    alert = alerts.get()
    assert alert.kind == AlertKind.LEVEL_RISE and alert.state == AlertState.TRIGGERED
    assert alert.level >= RiskLevel.SIAGA
    assert list(alert.regions.values_list("code", flat=True)) == [BUGUL_LOR]
    assert alert.incidents.count() >= 3
    assert "Bugul Lor: " in alert.reasons[0] and "kejadian terverifikasi" in alert.reasons[0]
    assert [e.verb for e in alert.events.all()][0] == "triggered"


@pytest.mark.django_db
def test_new_incidents_in_the_area_join_the_open_alert(region, calm_city):
    bugul_lor = region(BUGUL_LOR)
    surge(bugul_lor, DAY)
    risk_recompute(calm_city, DAY - timedelta(days=3), DAY)
    later = verified(bugul_lor, DAY + timedelta(days=1))
    risk_recompute(calm_city, DAY + timedelta(days=1), DAY + timedelta(days=1))
    alert = Alert.objects.get()
    assert alert.incidents.filter(pk=later.pk).exists()
    assert "signal_attached" in [e.verb for e in alert.events.all()]


@pytest.mark.django_db
def test_an_incident_meeting_pp_2_2015_raises_awas_at_once(
    region, calm_city, personas, django_capture_on_commit_callbacks
):
    incident = verified(region(BUGUL_LOR), DAY)
    with django_capture_on_commit_callbacks(execute=True):
        incident_update_facts(
            incident=incident, actor=personas["analyst"], reason="Kapolsek di lokasi", killed=1, arson_or_looting=True
        )
    alert = Alert.objects.get(kind=AlertKind.GRAVE_INCIDENT)
    assert alert.level == RiskLevel.AWAS
    assert "ada korban meninggal" in alert.reasons[0] and "pembakaran" in alert.reasons[0]
    assert list(alert.incidents.all()) == [incident]
    [note] = incident.events.filter(verb="facts_changed").values_list("note", flat=True)  # in words, like the page
    assert note == "meninggal: 0 \u2192 1; pembakaran, penjarahan atau perusakan: tidak \u2192 ya (Kapolsek di lokasi)"
    # Closed by the team, it is not raised again by the next assessment of the day.
    alert_transition(alert=alert, to=AlertState.CLOSED, actor=personas["analyst"], note="ditangani")
    risk_recompute(calm_city, DAY, DAY)
    assert Alert.objects.filter(kind=AlertKind.GRAVE_INCIDENT).count() == 1


@pytest.mark.django_db
def test_lifecycle_goes_forward_with_who_and_when(region, city, personas):
    alert = alert_raise(
        kind=AlertKind.MANUAL, city=city, regions=[region(BUGUL_LOR)], level=2, title="Uji", reason="uji", at=at(DAY)
    )
    analyst = personas["analyst"]
    for state in (AlertState.ACKNOWLEDGED, AlertState.ASSESSED, AlertState.RESPONDING):
        alert = alert_transition(alert=alert, to=state, actor=analyst, note=f"ke {state}")
    with pytest.raises(AlertStateError):
        alert_transition(alert=alert, to=AlertState.ACKNOWLEDGED, actor=analyst)
    with pytest.raises(AlertStateError):
        alert_transition(alert=alert, to=AlertState.CLOSED, actor=analyst, note=" ")
    alert = alert_transition(alert=alert, to=AlertState.CLOSED, actor=analyst, note="kondusif")
    steps = [(e.from_state, e.to_state, e.actor) for e in alert.events.exclude(to_state="")]
    assert steps == [
        ("triggered", "acknowledged", analyst),
        ("acknowledged", "assessed", analyst),
        ("assessed", "responding", analyst),
        ("responding", "closed", analyst),
    ]
    assert AuditLog.objects.filter(action="alert.state_changed", object_id=str(alert.pk)).count() == 4
    with pytest.raises(AlertStateError):
        alert_transition(alert=alert, to=AlertState.CLOSED, actor=analyst, note="lagi")


@pytest.mark.django_db
def test_override_and_merge_keep_their_reasons(region, city, personas):
    a = alert_raise(
        kind=AlertKind.MANUAL,
        city=city,
        regions=[region(BUGUL_LOR)],
        level=1,
        title="A",
        reason="a",
        at=at(DAY),
        attach_to_open=False,
    )
    b = alert_raise(
        kind=AlertKind.MANUAL,
        city=city,
        regions=[region("35.75.04.1011")],
        level=2,
        title="B",
        reason="b",
        at=at(DAY),
        attach_to_open=False,
    )
    stale = Alert.objects.get(pk=a.pk)  # the merge form's page, loaded before the next two steps
    alert_override(alert=a, level=RiskLevel.AWAS, actor=personas["analyst"], reason="informasi intelijen")
    alert_transition(alert=a, to=AlertState.ACKNOWLEDGED, actor=personas["responder"])
    target = alert_merge(source=b, target=stale, actor=personas["analyst"], reason="satu situasi")
    b.refresh_from_db()
    assert b.state == AlertState.CLOSED and b.merged_into == target
    target.refresh_from_db()
    assert target.state == AlertState.ACKNOWLEDGED  # the acknowledgement taken meanwhile stays
    assert target.level == RiskLevel.AWAS and set(target.reasons) == {"a", "b"}
    assert target.regions.count() == 2
    notes = [e.note for e in target.events.all()]
    assert any("informasi intelijen" in n for n in notes) and any("satu situasi" in n for n in notes)
    with pytest.raises(AlertStateError):
        alert_merge(source=a, target=a, actor=personas["analyst"], reason="x")
    c = alert_raise(
        kind=AlertKind.MANUAL,
        city=city,
        regions=[region("35.75.04.1011")],
        level=1,
        title="C",
        reason="c",
        at=at(DAY),
        attach_to_open=False,
    )
    with pytest.raises(AlertStateError, match="already been merged"):
        alert_merge(source=b, target=c, actor=personas["analyst"], reason="dua kali")


@pytest.mark.django_db
def test_an_alert_no_longer_supported_is_proposed_for_closing_never_closed(region, calm_city, personas):
    incidents = surge(region(BUGUL_LOR), DAY)
    risk_recompute(calm_city, DAY - timedelta(days=3), DAY)
    alert = Alert.objects.get()
    risk_recompute(calm_city, DAY + timedelta(days=1), DAY + timedelta(days=12))
    alert.refresh_from_db()
    assert alert.close_proposed_at is None  # its incidents are still being handled
    for incident in incidents:
        incident_transition(incident=incident, to=IncidentStatus.RESOLVED, actor=personas["analyst"])
    risk_recompute(calm_city, DAY + timedelta(days=13), DAY + timedelta(days=13))
    alert.refresh_from_db()
    assert alert.close_proposed_at is not None and "usul ditutup" in alert.close_proposed_reason
    assert alert.state == AlertState.TRIGGERED
    assert "close_proposed" in [e.verb for e in alert.events.all()]


@pytest.mark.django_db
def test_elevated_neighbours_raise_a_cluster_alert(calm_city):
    neighbours = _neighbours(calm_city)
    # three kelurahan in a row, each touching the next
    a = next(code for code, nbs in neighbours.items() if len(nbs) >= 2)
    b, c = neighbours[a][:2]
    for code in (a, b, c):
        surge(Region.objects.get(code=code), DAY, n=5)
    risk_recompute(calm_city, DAY - timedelta(days=4), DAY)
    cluster = Alert.objects.get(kind=AlertKind.CLUSTER)
    assert set(cluster.regions.values_list("code", flat=True)) >= {a, b, c}
    assert "bersebelahan" in cluster.reasons[0]


@pytest.mark.django_db
def test_neighbours_are_the_kelurahan_that_share_a_border(calm_city):
    from shapely.geometry import shape

    _NEIGHBOURS.clear()
    kelurahan = list(Region.objects.under(CITY).filter(level=Level.DESA_KELURAHAN))
    grown = {r.code: shape(r.boundary).buffer(1e-5) for r in kelurahan}
    every_pair = {
        a.code: sorted(b.code for b in kelurahan if b != a and grown[a.code].intersects(shape(b.boundary)))
        for a in kelurahan
    }
    assert _neighbours(calm_city) == every_pair
    assert sum(map(len, every_pair.values())) > 2 * len(kelurahan)


@pytest.mark.django_db
def test_desa_without_a_shape_spread_within_their_kecamatan(calm_city):
    """A kabupaten outside Kota Pasuruan has no desa shapes: three desa of one kecamatan at Siaga still spread."""
    Region.objects.under("35.75.01").update(boundary=None)
    _NEIGHBOURS.clear()
    try:
        neighbours = _neighbours(calm_city)
        gadingrejo = sorted(Region.objects.under("35.75.01").values_list("code", flat=True))
        assert neighbours[gadingrejo[0]] == gadingrejo[1:]
        assert not set(neighbours[gadingrejo[0]]) & set(neighbours[BUGUL_LOR])  # other kecamatan: shapes only
        for code in gadingrejo[:3]:
            surge(Region.objects.get(code=code), DAY, n=5)
        risk_recompute(calm_city, DAY - timedelta(days=4), DAY)
        cluster = Alert.objects.get(kind=AlertKind.CLUSTER)
    finally:
        _NEIGHBOURS.clear()  # the next test's city has its shapes again
    assert set(cluster.regions.values_list("code", flat=True)) == set(gadingrejo[:3])
    assert cluster.reasons[0].startswith(
        "3 desa/kelurahan berdekatan berstatus Siaga atau lebih di Kecamatan Gadingrejo"
    )


@pytest.mark.django_db
def test_alerts_api_for_staff_only(client, region, city, personas):
    alert_raise(
        kind=AlertKind.MANUAL,
        city=city,
        regions=[region(BUGUL_LOR)],
        level=2,
        title="Bugul Lor",
        reason="uji",
        at=at(DAY),
        attach_to_open=False,
    )
    alert_raise(
        kind=AlertKind.MANUAL,
        city=city,
        regions=[region("35.75.01.1001")],
        level=2,
        title="Karangketug",
        reason="uji",
        at=at(DAY),
        attach_to_open=False,
    )
    anonymous = client.get("/api/v1/alerts")
    assert anonymous.status_code == 401 and "staff only" in anonymous.json()["detail"]
    client.force_login(personas["analyst"])
    rows = client.get("/api/v1/alerts").json()
    assert {r["title"] for r in rows} == {"Bugul Lor", "Karangketug"}
    assert rows[0]["history"][0]["verb"] == "triggered" and rows[0]["state"] == "triggered"
    client.logout()
    client.force_login(personas["responder"])  # Polsek Panggungrejo: Bugul Lor only
    assert [r["title"] for r in client.get("/api/v1/alerts").json()] == ["Bugul Lor"]
    client.logout()
    from io import StringIO

    out = StringIO()
    call_command("tokens", "create", "leadership", "--name", "dashboard", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    ok = client.get("/api/v1/alerts", {"open": "true"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ok.status_code == 200 and len(ok.json()) == 2
    assert client.get("/api/v1/alerts", HTTP_AUTHORIZATION="Bearer sgs_wrong").status_code == 401


@pytest.mark.django_db
def test_alert_pages_by_role(client, region, city, personas):
    alert = alert_raise(
        kind=AlertKind.MANUAL,
        city=city,
        regions=[region(BUGUL_LOR)],
        level=2,
        title="Uji halaman",
        reason="uji",
        at=at(DAY),
        attach_to_open=False,
    )
    client.force_login(personas["responder"])
    page = client.get(f"/peringatan/{alert.pk}/").content.decode()
    assert "Uji halaman" in page and "Tutup peringatan" not in page
    # The area's level now beside the level the alert was raised at: the latest assessment, not an older one.
    for days_ago, level in ((3, RiskLevel.SIAGA), (0, RiskLevel.AMAN)):
        AreaRisk.objects.create(region=region(BUGUL_LOR), day=DAY - timedelta(days=days_ago), score=0, level=level)
    page = client.get(f"/peringatan/{alert.pk}/").content.decode()
    assert f"(sekarang Aman, {DAY:%-d} " in page and "sekarang Siaga" not in page
    step = client.post(f"/peringatan/{alert.pk}/langkah/", {"to": "acknowledged", "note": "diterima Polsek"})
    assert step.status_code == 302
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    channel = Channel.objects.create(
        name="Surel uji", kind="email", config={"address": "uji@example.org"}, user=personas["analyst"]
    )
    Notification.objects.create(
        alert=alert,
        channel=channel,
        purpose="escalation",
        tier=2,
        subject="s",
        body="b",
        idempotency_key="k",
        next_attempt_at=at(DAY),
        created_at=at(DAY),
    )
    assert client.post(f"/peringatan/{alert.pk}/langkah/", {"to": "closed", "note": "x"}).status_code == 403
    client.force_login(personas["analyst"])
    page = client.get(f"/peringatan/{alert.pk}/").content.decode()
    # The timeline and who was told, in words rather than service keys.
    assert "status berubah (Terpicu → Diterima)" in page and "state_changed" not in page
    assert '<td data-label="Mengapa">eskalasi (Tahap eskalasi 2)</td>' in page
    empty = client.post(f"/peringatan/{alert.pk}/langkah/", {"to": "closed", "note": ""}, follow=True)
    assert "Tuliskan mengapa peringatan ditutup" in empty.content.decode()
    raised = client.post(
        "/peringatan/baru/",
        {"title": "Isu pengerahan massa", "regions": [region(BUGUL_LOR).pk], "level": 2, "reason": "Info intelijen"},
    )
    assert raised.status_code == 302 and Alert.objects.filter(title="Isu pengerahan massa").exists()
    client.force_login(personas["trusted_reporter"])
    assert client.get("/peringatan/").status_code == 403
