"""Who sees what: every role against every kind of object, as one table."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from sigap.actors.choices import ActorKind
from sigap.actors.models import Actor
from sigap.directory.choices import PersonRole, SubTeam
from sigap.directory.models import Organisation, Person, TeamDecree, TeamMembership
from sigap.intake.choices import Channel
from sigap.intake.models import Report
from sigap.intake.services import ReportDraft, report_receive
from sigap.triage.models import Incident

ROLES = ["admin", "analyst", "leadership", "responder", "mediator", "trusted_reporter", "anonymous"]
OBJECTS = [
    "incident_panggungrejo",
    "incident_gadingrejo",
    "report_own",
    "report_other",
    "person",
    "organisation",
    "team_seat",
    "group",
]
# Responder and mediator cover Kecamatan Panggungrejo; the trusted reporter sent report_own from Bugul Lor.
EXPECTED = {
    "admin": set(OBJECTS),
    "analyst": set(OBJECTS),
    "leadership": set(OBJECTS),
    "responder": {"incident_panggungrejo", "report_own", "person", "organisation", "team_seat", "group"},
    "mediator": {"incident_panggungrejo", "report_own", "person", "organisation", "team_seat", "group"},
    "trusted_reporter": {"incident_panggungrejo", "report_own", "organisation", "team_seat"},
    "anonymous": set(),
}
MODEL = {
    "incident": Incident,
    "report": Report,
    "person": Person,
    "organisation": Organisation,
    "team": TeamMembership,
    "group": Actor,  # a group's camp, religion or ethnicity is sensitive: staff only
}


@pytest.fixture
def world(personas, organisations, region):
    own = report_receive(
        ReportDraft(
            channel=Channel.TRUSTED,
            description="Spanduk SARA di RW 03",
            region=region("35.75.04.1010"),
            submitted_by=personas["trusted_reporter"],
        )
    )[0]
    other = report_receive(
        ReportDraft(channel=Channel.WEB, description="Amplop di RW 01", region=region("35.75.01.1001"))
    )[0]
    decree = TeamDecree.objects.create(
        region=region("35.75"), number="1/2020", title="Tim", year=2020, issued_on=date(2020, 11, 20)
    )
    return {
        "incident_panggungrejo": own.incident,  # opened by triage as the reports arrived
        "incident_gadingrejo": other.incident,
        "report_own": own,
        "report_other": other,
        "person": Person.objects.create(
            name="Ustadz A", role=PersonRole.TOKOH_AGAMA, region=region("35.75.04.1010"), phone="081234567890"
        ),
        "organisation": organisations["fkub"],
        "team_seat": TeamMembership.objects.create(
            decree=decree,
            organisation=organisations["kesbangpol"],
            seat_title="Kepala Bakesbangpol",
            sub_team=SubTeam.SEKRETARIAT,
        ),
        "group": Actor.objects.create(name="Pendukung paslon 01", kind=ActorKind.CANDIDATE_CAMP),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_visibility_matrix(role, world, personas):
    user = AnonymousUser() if role == "anonymous" else personas[role]
    seen = set()
    for name, obj in world.items():
        model = MODEL[name.split("_")[0]]
        if model.objects.visible_to(user).filter(pk=obj.pk).exists():
            seen.add(name)
    assert seen == EXPECTED[role]
