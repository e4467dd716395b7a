"""The demo's story clock: Django's time runs from the story's moment and keeps moving; the real clock stays."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from sigap.core import clock
from sigap.core.tests.test_settings import _django_setup

STORY = datetime(2020, 12, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def story_clock():
    clock.install(clock.StoryClock(story=STORY, real=clock.real_now()))
    yield
    clock.uninstall()


def test_a_spec_reads_back_what_it_wrote_and_says_what_is_wrong():
    made = clock.StoryClock(story=STORY, real=datetime(2026, 11, 29, 8, 0, tzinfo=UTC))
    assert clock.parse(made.spec()) == made
    assert made.offset == made.story - made.real
    for bad, why in [
        ("2020-12-20T17:00:00+07:00", "expected '<story moment>@<real moment>'"),
        ("2020-12-20T17:00@2026-11-29T08:00+00:00", "need a zone"),
        ("kemarin@2026-11-29T08:00+00:00", "not an ISO 8601 time"),
    ]:
        with pytest.raises(ValueError, match=why):
            clock.parse(bad)


def test_django_time_runs_from_the_story_and_moves_while_the_real_clock_stays(story_clock):
    first = timezone.now()
    assert abs(first - STORY) < timedelta(seconds=5)
    time.sleep(0.02)
    assert timezone.now() > first  # a clock, not a frozen moment
    assert abs(time.time() - clock.real_now().timestamp()) < 5  # signatures and signed links keep real time
    assert clock.installed() is not None


def test_uninstalling_gives_the_real_time_back(story_clock):
    clock.uninstall()
    assert clock.installed() is None
    assert abs(timezone.now().timestamp() - time.time()) < 5


@pytest.mark.django_db
def test_every_page_of_a_demo_on_its_story_clock_says_so_with_the_story_time(client, story_clock):
    page = client.get("/publik/").content.decode()
    assert "Demo:" in page and "20 Des 2020, 17.0" in page  # the story's time, in WIB


@pytest.mark.django_db
def test_a_deployment_without_a_story_clock_shows_no_demo_banner(client):
    assert "story-clock" not in client.get("/publik/").content.decode()


def test_a_damaged_setting_stops_the_start_with_the_reason():
    result = _django_setup({"DJANGO_SETTINGS_MODULE": "sigap.settings", "DEBUG": "true", "SIGAP_DEMO_CLOCK": "soon"})
    assert result.returncode != 0
    assert "SIGAP_DEMO_CLOCK: expected '<story moment>@<real moment>'" in result.stderr


def test_the_setting_moves_the_time_of_the_whole_process_field_defaults_included():
    code = (
        "import django; django.setup(); from django.utils import timezone;"
        "from sigap.intake.models import ReporterMessage;"
        "print(timezone.now().year, ReporterMessage._meta.get_field('at').get_default().year)"
    )
    spec = clock.StoryClock(story=STORY, real=clock.real_now()).spec()
    env = {"DJANGO_SETTINGS_MODULE": "sigap.settings", "DEBUG": "true", "SIGAP_DEMO_CLOCK": spec}
    result = _django_setup(env, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2020 2020"
