"""Every page of the response rooms renders for every staff role on the demo month (no template error, no
leak: a responder only reaches its organisation's cases)."""

import pytest
from django.urls import reverse

from sigap.accounts.models import User
from sigap.cases.models import Case, ConflictStatus
from sigap.coordination.models import Meeting
from sigap.demo.generator import seed_demo
from sigap.mediation.models import Mediation


@pytest.mark.django_db
def test_response_pages_render_for_each_role(client):
    seed_demo(seed=5)
    pages = [
        reverse("cases:list"),
        reverse("cases:list") + "?status=resolved",
        reverse("cases:tasks"),
        reverse("mediation:list"),
        reverse("mediation:forums"),
        reverse("coordination:meetings"),
        reverse("coordination:contacts"),
        reverse("coordination:plan") + "?tahun=2020",
        reverse("coordination:plan_report", args=[2020, "B.12"]),
        reverse("home:home"),
    ]
    pages += [reverse("coordination:meeting", args=[m.pk]) for m in Meeting.objects.all()]
    for username in ("analis", "polres", "mediator", "pimpinan", "admin"):
        user = User.objects.get(username=username)
        client.force_login(user)
        mine = [reverse("cases:detail", args=[c.pk]) for c in Case.objects.visible_to(user)]
        mine += [reverse("mediation:detail", args=[m.pk]) for m in Mediation.objects.visible_to(user)]
        for url in pages + mine:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
    client.force_login(User.objects.get(username="analis"))
    assert client.get(reverse("cases:status_list")).status_code == 200
    assert (
        client.get(reverse("cases:new") + f"?incident={Case.objects.first().incidents.first().pk}").status_code == 200
    )
    assert not ConflictStatus.objects.exists()  # Kota Pasuruan declared none in 2020; the demo invents none
    polres = User.objects.get(username="polres")
    others = Case.objects.exclude(pk__in=Case.objects.visible_to(polres))
    client.force_login(polres)
    assert others.exists()  # the Polsek-led cases
    for case in others[:3]:
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
