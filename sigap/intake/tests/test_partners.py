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
