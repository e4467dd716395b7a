"""{% case_ref case %}: a case named by number and title, linked only for a reader who may open it;
{% cases_for_alert alert as near %}: the open cases that may already answer an alert.

An incident, an alert or a mediation tells every reader that a case exists and who leads it; a mediator or a
responder outside the case would follow the link into a 404, so for them the name stands without one."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sigap.alerts.models import Alert
from sigap.cases import services
from sigap.cases.models import Case, ResponsePlan
from sigap.cases.plans import plans_for

register = template.Library()


@register.simple_tag(takes_context=True)
def case_ref(context: template.Context, case: Case) -> SafeString:
    text = f"P-{case.pk} {case.title}"
    if _opens(context, case):
        return format_html('<a href="{}">{}</a>', reverse("cases:detail", args=[case.pk]), text)
    return format_html("{}", text)


def _opens(context: template.Context, case: Case) -> bool:
    """Whether this reader may open the case, by the case page's own rule; asked once per case and request."""
    request: Any = context.get("request")
    if request is None:
        return False
    known: dict[int, bool] = request.__dict__.setdefault("_case_refs_open", {})
    if case.pk not in known:
        known[case.pk] = Case.objects.visible_to(request.user).filter(pk=case.pk).exists()
    return known[case.pk]


@register.simple_tag
def cases_for_alert(alert: Alert) -> list[Case]:
    """Open cases that may already answer the alert (its kelurahan, its incidents), for linking instead of a second
    case."""
    return services.cases_for_alert(alert)


@register.simple_tag
def plans_for_alert(alert: Alert) -> list[ResponsePlan]:
    """The agreed response plans that fit the alert (its level, its incidents' categories), to open a case after."""
    categories = set(alert.incidents.values_list("category", flat=True))
    return plans_for(level=alert.level, categories=categories)
