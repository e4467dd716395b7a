import pytest
from django.core.management import CommandError, call_command

from sigap.intake.models import ApiPartner, Report


@pytest.mark.django_db
def test_a_partner_token_is_shown_once_works_and_can_be_rotated_or_disabled(client, capsys):
    call_command("partners", "add", "Aplikasi Polres", "--reliability", "B")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token not in str(list(ApiPartner.objects.values()))  # only the digest is stored
    body = '{"description": "Ada amplop dibagikan di Trajeng"}'
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.post("/api/v1/reports", body, content_type="application/json", **headers).status_code == 201
    assert Report.objects.get().source_reliability == "B"
    call_command("partners", "rotate", "Aplikasi Polres")
    new_token = capsys.readouterr().out.strip().splitlines()[-1]
    assert client.post("/api/v1/reports", body, content_type="application/json", **headers).status_code == 401
    call_command("partners", "disable", "Aplikasi Polres")
    again = client.post(
        "/api/v1/reports", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {new_token}"
    )
    assert again.status_code == 401
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("partners", "add", "Aplikasi Polres")


@pytest.mark.django_db
def test_a_token_disabled_by_another_process_is_refused_once_the_trust_runs_out(client, capsys, monkeypatch):
    from sigap.intake import partners

    call_command("partners", "add", "Aplikasi Kodim")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    body = '{"description": "Ada amplop dibagikan di Trajeng"}'
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.post("/api/v1/reports", body, content_type="application/json", **headers).status_code == 201
    ApiPartner.objects.update(active=False)  # as another process would: no signal reaches this one
    assert client.post("/api/v1/reports", body, content_type="application/json", **headers).status_code == 201
    monkeypatch.setattr(partners, "TRUSTED_FOR_S", 0.0)
    assert client.post("/api/v1/reports", body, content_type="application/json", **headers).status_code == 401
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_unknown_tokens_are_not_remembered(client):
    from sigap.intake import partners

    for n in range(5):
        headers = {"HTTP_AUTHORIZATION": f"Bearer guess-{n}"}
        body = '{"description": "x"}'
        assert client.post("/api/v1/reports", body, content_type="application/json", **headers).status_code == 401
    assert partners._accepted == {}
