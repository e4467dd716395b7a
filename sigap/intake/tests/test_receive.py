import re

import pytest
from shapely.geometry import shape

from sigap.intake.choices import Channel, PublicStatus
from sigap.intake.receipts import ALPHABET, receipt_new, receipt_normalise
from sigap.intake.services import ReportDraft, report_receive
from sigap.regions.models import Region
from sigap.triage.choices import IncidentStatus
from sigap.triage.services import incident_transition


def test_receipts_are_long_random_and_readable():
    codes = {receipt_new() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert not set(code.replace("-", "")) - set(ALPHABET)
    assert not {"0", "1", "I", "L", "O"} & set(ALPHABET)


def test_receipts_are_accepted_as_people_type_them():
    assert receipt_normalise(" 7kq4 m2xd-9htr ") == "7KQ4-M2XD-9HTR"


@pytest.mark.django_db
def test_a_report_with_a_pin_is_placed_in_its_kelurahan():
    tapaan = Region.objects.get(code="35.75.03.1003")  # official name: Tapa'an
    inside = shape(tapaan.boundary).representative_point()
    report = report_receive(
        ReportDraft(channel=Channel.API, description="Perkelahian antar pemuda", latitude=inside.y, longitude=inside.x)
    )[0]
    assert report.region == tapaan
    assert report.incident is not None  # triage opened an incident in the same transaction
    assert report.public_status == PublicStatus.IN_REVIEW


@pytest.mark.django_db
def test_an_empty_report_is_refused():
    with pytest.raises(ValueError, match="description"):
        report_receive(ReportDraft(channel=Channel.WEB, description="   \n"))[0]


@pytest.mark.django_db
def test_the_public_status_follows_the_incident(personas):
    report = report_receive(
        ReportDraft(channel=Channel.WEB, description="Pembagian amplop", region=Region.objects.get(name="Kepel"))
    )[0]
    assert report.public_status == PublicStatus.IN_REVIEW
    incident_transition(incident=report.incident, to=IncidentStatus.HOAX, actor=personas["analyst"])
    report.refresh_from_db()
    assert report.public_status == PublicStatus.CLOSED


@pytest.mark.django_db
def test_a_report_nobody_can_place_waits_as_received():
    report = report_receive(ReportDraft(channel=Channel.SMS, description="Ada keributan di dekat rumah saya"))[0]
    assert report.region is None and report.incident is None
    assert report.public_status == PublicStatus.RECEIVED
