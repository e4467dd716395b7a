"""A demo's story clock: Sigap's time runs from a moment of the story, at real speed.

The Kota Pasuruan demo is the month before and after the Pilkada of 9 December 2020. Served on today's clock every
deadline of that month is years late, every unacknowledged alert escalates at once, and messages are dated years
after the incidents they are about. With SIGAP_DEMO_CLOCK="<story moment>@<real moment>" (both ISO 8601 with a zone)
`django.utils.timezone.now` answers the story's time, still moving: a minute later in the real world is a minute later
in the story. `make run` fixes the pair once, when it first prepares the demo.

Only Django's notion of now moves (what the models, the services, the worker and the sessions read). `time.time()`
stays real, and with it everything checked against the outside world: gateway signature windows, signed links.
Installed from the settings module, before any model is imported, so that field defaults read the story's time too.
Never set it in a deployment: every time Sigap writes would be false.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

_real_now = timezone.now


@dataclass(frozen=True)
class StoryClock:
    story: datetime  # the story's moment ...
    real: datetime  # ... at this real moment

    @property
    def offset(self) -> timedelta:
        return self.story - self.real

    def spec(self) -> str:
        return f"{self.story.isoformat()}@{self.real.isoformat()}"


def parse(spec: str) -> StoryClock:
    """'2020-12-20T17:00:00+07:00@2026-11-29T08:00:00+00:00' -> StoryClock; ValueError says what is wrong."""
    story_text, separator, real_text = spec.strip().partition("@")
    if not separator:
        raise ValueError("expected '<story moment>@<real moment>', two ISO 8601 times with a zone")
    try:
        story, real = datetime.fromisoformat(story_text), datetime.fromisoformat(real_text)
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 time: {exc}") from None
    if story.tzinfo is None or real.tzinfo is None:
        raise ValueError("both moments need a zone (for example +07:00 or Z)")
    return StoryClock(story=story, real=real)


_installed: StoryClock | None = None


def install(clock: StoryClock) -> None:
    """From now on `timezone.now()` answers the story's time."""
    global _installed
    offset = clock.offset

    def story_now() -> datetime:
        return _real_now() + offset

    timezone.now = story_now  # the one place that moves Django's time
    _installed = clock


def uninstall() -> None:
    global _installed
    timezone.now = _real_now
    _installed = None


def installed() -> StoryClock | None:
    return _installed


def real_now() -> datetime:
    """The real time, whether or not a story clock is installed."""
    return _real_now()
