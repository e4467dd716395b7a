"""Errors people and programs meet: clear pages in Bahasa, JSON for the API, never a traceback."""

import pytest
from django.test import Client
from django.urls import path

from sigap import urls as root_urls
from sigap.api import unexpected


def boom(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [*root_urls.urlpatterns, path("_test/boom/", boom)]


@pytest.mark.django_db
@pytest.mark.urls("sigap.core.tests.test_errors")
def test_a_crash_shows_a_kind_page_and_no_traceback():
    response = Client(raise_request_exception=False).get("/_test/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Maaf, terjadi kesalahan" in page and "secret internal detail" not in page and "Traceback" not in page


def test_an_api_crash_is_json_without_details(rf, caplog):
    response = unexpected(rf.post("/api/v1/reports"), RuntimeError("secret internal detail"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert b"secret" not in response.content and b"Kesalahan internal" in response.content
    assert "secret internal detail" in caplog.text  # the team still sees what happened


@pytest.mark.django_db
def test_unknown_pages_say_what_to_do(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404 and "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.django_db
def test_a_form_that_fails_its_csrf_check_gets_a_kind_page_and_the_way_back(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    browser = Client(enforce_csrf_checks=True)
    browser.get("/lapor/")  # the form, opened long ago; its cookie is gone since
    browser.cookies.clear()
    response = browser.post(
        "/lapor/", {"description": "Bentrok di pasar"}, HTTP_REFERER="http://testserver/lapor/?dari=beranda"
    )
    page = response.content.decode()
    assert response.status_code == 403 and "Formulir tidak dapat dikirim" in page
    assert 'href="/lapor/"' in page and "CSRF" not in page and '<html lang="id">' in page
    assert response.cookies.get("csrftoken")  # a fresh token: the reloaded form will go through
    elsewhere = browser.post("/lapor/", {"description": "x"}, HTTP_REFERER="https://evil.example/lapor/")
    assert 'href="/"' in elsewhere.content.decode() and "evil.example" not in elsewhere.content.decode()
