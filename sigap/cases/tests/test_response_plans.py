"""Langkah yang disepakati: the response plans agreed beforehand are offered when a case is opened from an alert or
an incident, and the chosen plan's steps become the case's tasks, each to the organisation that covers the place."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sigap.alerts.choices import AlertKind
from sigap.alerts.services import alert_raise
from sigap.cases.models import Case, ResponsePlan, ResponseStep
from sigap.cases.plans import plans_for, step_owner
from sigap.cases.tests.factories import reported, verify
from sigap.conftest import BUGUL_LOR
from sigap.core.models import AuditLog
from sigap.directory.choices import OrganisationKind
from sigap.directory.models import Organisation
from sigap.risk.tests.factories import CITY

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2020, 12, 7, 20, 0, tzinfo=WIB)


@pytest.fixture
def clash_plan(organisations, region):
    polres = Organisation.objects.create(name="Polres Pasuruan Kota", kind=OrganisationKind.POLRI)
    polres.areas.set([region(CITY)])
    plan = ResponsePlan.objects.create(
        name="Bentrok antarpendukung", min_level=2, categories=["bentrok_pendukung"], basis="Rakor 2 Nov 2020"
    )
    ResponseStep.objects.create(
        plan=plan, position=1, action="Patroli dialogis di lokasi", organisation_kind="polri", due_hours=2, leads=True
    )
    ResponseStep.objects.create(
        plan=plan, position=2, action="Imbauan tokoh agama", organisation=organisations["fkub"], due_hours=24
    )
    ResponseStep.objects.create(
        plan=plan, position=3, action="Kumpulkan ketua RW", organisation_kind="kecamatan", due_hours=24
    )
    ResponsePlan.objects.create(name="Hoaks SARA", min_level=1, categories=["hoaks_ujaran_kebencian"])
    ResponsePlan.objects.create(name="Awas saja", min_level=3)
    return plan


@pytest.mark.django_db
def test_the_plans_that_fit_and_the_organisation_that_covers_the_place(clash_plan, organisations, region):
    assert [p.name for p in plans_for(level=2, categories={"bentrok_pendukung"})] == ["Bentrok antarpendukung"]
    assert [p.name for p in plans_for(level=3, categories={"bentrok_pendukung"})] == [
        "Awas saja",
        "Bentrok antarpendukung",
    ]
    assert plans_for(level=1, categories={"bentrok_pendukung"}) == []
    assert [p.name for p in plans_for(level=None, categories={"bentrok_pendukung"})] == [
        "Awas saja",
        "Bentrok antarpendukung",
    ]
    patrol, _tokoh, rw = clash_plan.steps.all()
    # The kecamatan's Polsek before the city's Polres; nobody of a kind that covers nothing here.
    assert step_owner(patrol, region(BUGUL_LOR)) == organisations["polsek_panggungrejo"]
    assert step_owner(patrol, region("35.75.01.1001")).name == "Polsek Gadingrejo"
    assert step_owner(rw, region(BUGUL_LOR)) is None


@pytest.mark.django_db
def test_an_analyst_opens_a_case_after_the_agreed_steps(clash_plan, organisations, personas, region, client):
    kecamatan = Organisation.objects.create(name="Kecamatan Panggungrejo", kind=OrganisationKind.KECAMATAN)
    kecamatan.areas.set([region("35.75.04")])
    incident = verify(
        reported(region(BUGUL_LOR), "Pendukung paslon 01 dan 02 saling dorong di depan posko", at=NOW),
        personas["analyst"],
        at=NOW,
    )
    incident.category = "bentrok_pendukung"
    incident.save()
    alert = alert_raise(
        kind=AlertKind.LEVEL_RISE,
        city=region(CITY),
        regions=[region(BUGUL_LOR)],
        level=2,
        title="Kerawanan naik: Bugul Lor",
        reason="Bugul Lor: Waspada → Siaga",
        at=NOW,
        incidents=[incident],
    )
    client.force_login(personas["analyst"])
    alert_page = client.get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert "Langkah yang disepakati untuk peringatan seperti ini:" in alert_page
    assert f"?alert={alert.pk}&amp;plan={clash_plan.pk}#plans" in alert_page and "Hoaks SARA" not in alert_page
    url = reverse("cases:new")
    with time_machine.travel(NOW, tick=False):
        offered = client.get(url, {"alert": alert.pk}).content.decode()
        assert "Langkah yang disepakati" in offered and f"plan={clash_plan.pk}" in offered
        assert "Hoaks SARA" not in offered
        chosen = client.get(url, {"alert": alert.pk, "plan": clash_plan.pk}).content.decode()
    step = "<span>Patroli dialogis di lokasi · <strong>Polsek Panggungrejo</strong> · dalam 2 jam (7 Des 22:00)</span>"
    assert step in chosen
    assert f'<option value="{organisations["polsek_panggungrejo"].pk}" selected>' in chosen  # the plan's lead
    steps = {s.action: s.pk for s in clash_plan.steps.all()}
    form = {
        "alert": alert.pk,
        "plan": clash_plan.pk,
        "title": "Bentrok pendukung di Bugul Lor",
        "lead": organisations["polsek_panggungrejo"].pk,
        "supporting": [organisations["fkub"].pk, kecamatan.pk],
        "phase": "pencegahan",
        "step": [steps["Patroli dialogis di lokasi"], steps["Kumpulkan ketua RW"]],  # the analyst leaves one out
    }
    with time_machine.travel(NOW, tick=False):
        response = client.post(url, form)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    tasks = sorted((t.title, t.owner_organisation.name, t.due_at) for t in case.tasks.all())
    assert tasks == [
        ("Kumpulkan ketua RW", "Kecamatan Panggungrejo", NOW + timedelta(hours=24)),
        ("Patroli dialogis di lokasi", "Polsek Panggungrejo", NOW + timedelta(hours=2)),
    ]
    audit = AuditLog.objects.get(action="case.plan_applied")
    assert audit.details["name"] == "Bentrok antarpendukung" and len(audit.details["steps"]) == 2


@pytest.mark.django_db
def test_a_step_nobody_covers_opens_nothing(clash_plan, organisations, personas, region, client):
    incident = verify(reported(region(BUGUL_LOR), "Bentrok pendukung di gang RW 05", at=NOW), personas["analyst"])
    incident.category = "bentrok_pendukung"
    incident.save()
    client.force_login(personas["analyst"])
    url = reverse("cases:new")
    page = client.get(url, {"incident": incident.pk, "plan": clash_plan.pk}).content.decode()
    assert "tidak ada Kantor kecamatan yang mencakup tempat ini" in page
    rw = clash_plan.steps.get(action="Kumpulkan ketua RW")
    form = {
        "incident": incident.pk,
        "plan": clash_plan.pk,
        "title": "Bentrok",
        "lead": organisations["polsek_panggungrejo"].pk,
        "phase": "pencegahan",
        "step": [rw.pk],  # forced past the disabled box
    }
    refused = client.post(url, form, follow=True).content.decode()
    assert "Tidak dibuka" in refused and "Kumpulkan ketua RW" in refused
    assert not Case.objects.exists()  # the case and its tasks, or neither


@pytest.mark.django_db
def test_the_administrator_keeps_the_plans_and_a_category_that_does_not_exist_is_refused(personas, client):
    client.force_login(personas["admin"])
    url = reverse("admin:cases_responseplan_add")
    form = {
        "name": "Sengketa lahan",
        "min_level": "1",
        "categories": ["sengketa_lahan"],
        "active": "on",
        **{"steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0", "steps-MAX_NUM_FORMS": "1000"},
        **{"steps-0-position": "1", "steps-0-action": "Musyawarah di kelurahan", "steps-0-due_hours": "72"},
        "steps-0-organisation_kind": "kelurahan",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200 and "sengketa_lahan bukan salah satu" in refused.content.decode()
    page = client.get(url).content.decode()  # ticked from the categories' names, not typed as JSON
    assert 'type="checkbox" name="categories" value="sumber_daya"' in page
    assert client.post(url, {**form, "categories": ["sumber_daya", "bentrok_pendukung"]}).status_code == 302
    plan = ResponsePlan.objects.get(name="Sengketa lahan")
    assert plan.categories == ["sumber_daya", "bentrok_pendukung"] and plan.steps.get().organisation_kind == "kelurahan"
