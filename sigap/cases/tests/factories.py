"""Test helpers: a reported and verified incident, channels for organisations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sigap.core.grading import Credibility, Reliability
from sigap.intake.choices import Channel as IntakeChannel
from sigap.intake.services import ReportDraft, report_receive
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident
from sigap.triage.services import incident_verify


def reported(region: Any, text: str, *, groups: str = "", at: datetime | None = None) -> Incident:
    report, _ = report_receive(
        ReportDraft(channel=IntakeChannel.WEB, description=text, region=region, groups_involved=groups, received_at=at)
    )
    assert report.incident is not None
    return report.incident


def verify(incident: Incident, analyst: Any, at: datetime | None = None) -> Incident:
    return incident_verify(
        incident=incident,
        decision=IncidentStatus.VERIFIED,
        actor=analyst,
        reliability=Reliability.B,
        credibility=Credibility.PROBABLY_TRUE,
        at=at,
    )


def mailbox(org: Any, address: str) -> Channel:
    return Channel.objects.create(
        name=f"E-mail {org}", kind=ChannelKind.EMAIL, organisation=org, config={"address": address}
    )
