import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from sigap.notify.services import public_link
from sigap.public.selectors import clarifications_recent

router = Router(tags=["public"])


class ClarificationOut(Schema):
    id: int
    claim: str = Field(description="What is going round, in the team's words")
    finding: str = Field(description="What the team found, and who checked it")
    region_code: str | None = Field(description="The kelurahan the rumour was about")
    region_name: str | None
    published_at: datetime.datetime
    url: str = Field(description="Its public page, to forward")


@router.get(
    "/clarifications",
    response=list[ClarificationOut],
    summary="Rumours found untrue: the clarifications in force of the last 30 days",
    description="Public, for partner sites (a Diskominfo page, a hoax-busting feed); newest first, no identities.",
)
def clarification_list(request: HttpRequest) -> Any:
    return [
        {
            "id": c.pk,
            "claim": c.claim,
            "finding": c.finding,
            "region_code": c.region.code if c.region else None,
            "region_name": c.region.name if c.region else None,
            "published_at": c.published_at,
            "url": public_link("public:clarification", c.pk),
        }
        for c in clarifications_recent()
    ]
