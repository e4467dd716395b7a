from datetime import UTC, datetime, timedelta

import pytest

from sigap.core.models import AuditLog
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.services import incident_attach_report, incident_open, incident_transition
from sigap.triage.states import TransitionError


@pytest.mark.django_db
def test_an_incident_goes_from_report_to_resolved_with_its_timeline(personas, region):
    analyst = personas["analyst"]
    first = report_receive(
        ReportDraft(channel=Channel.WEB, description="Adu mulut pendukung di pasar", region=region("35.75.04.1010"))
    )[0]
    second = report_receive(
        ReportDraft(channel=Channel.SMS, description="Keributan di pasar Bugul Lor", region=region("35.75.04.1010"))
    )[0]
    day = datetime(2020, 12, 9, 1, 0, tzinfo=UTC)
    incident = incident_open(
        at=day,
        report=first,
        actor=analyst,
        title="Adu mulut di pasar",
        category=Category.BENTROK_PENDUKUNG,
        urgency=Urgency.HIGH,
    )
    incident_attach_report(incident=incident, report=second, actor=analyst, at=day + timedelta(minutes=30))
    verified_at = datetime(2020, 12, 9, 3, 0, tzinfo=UTC)
    incident_transition(incident=incident, to=IncidentStatus.VERIFIED, actor=analyst, at=verified_at)
    incident = incident_transition(incident=incident, to=IncidentStatus.RESOLVED, actor=analyst, note="Musyawarah")

    assert incident.status == IncidentStatus.RESOLVED
    assert incident.verified_at == verified_at
    assert incident.closed_at is not None
    assert incident.region.code == "35.75.04.1010"
    assert set(incident.reports.values_list("receipt", flat=True)) == {first.receipt, second.receipt}
    timeline = list(incident.events.values_list("verb", "from_status", "to_status"))
    assert timeline == [
        ("opened", "", "new"),
        ("report_attached", "", ""),
        ("status_changed", "new", "verified"),
        ("status_changed", "verified", "resolved"),
    ]
    assert (
        AuditLog.objects.filter(object_type="triage.incident", object_id=str(incident.pk), actor=analyst).count() == 4
    )


@pytest.mark.django_db
def test_a_forbidden_transition_changes_nothing(personas, region):
    report = report_receive(
        ReportDraft(channel=Channel.WEB, description="Isu penculikan anak", region=region("35.75.01.1001"))
    )[0]
    incident = incident_open(report=report, actor=personas["analyst"], title="Isu")
    with pytest.raises(TransitionError):
        incident_transition(incident=incident, to=IncidentStatus.RESOLVED, actor=personas["analyst"])
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.NEW
    assert incident.events.count() == 1
