from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sigap.actors import selectors, services
from sigap.actors.forms import ActorForm, LinkForm, MergeForm, UnlinkForm
from sigap.actors.models import Actor, IncidentActor
from sigap.core.forms import form_errors
from sigap.core.roles import STAFF_ROLES, Role, require_role, role_of
from sigap.notify.models import Channel as NotifyChannel
from sigap.triage.models import Incident

# Analysts keep the registry; every staff role reads it (never the public, never a trusted reporter).
KEEPERS = {Role.ADMIN, Role.ANALYST}


def _saved(request: HttpRequest, form: ActorForm) -> Actor | None:
    """Save the form through the service; a refusal goes back to the form beside its field."""
    if not form.is_valid():
        return None
    actor: Actor = form.save(commit=False)
    try:
        linked = services.actor_save(actor=actor, by=request.user)
    except services.ActorRuleError as refusal:
        form.add_error("aliases", str(refusal))
        return None
    messages.success(
        request,
        ngettext(
            "Group saved; linked to %(n)d incident whose reports name it.",
            "Group saved; linked to %(n)d incidents whose reports name it.",
            linked,
        )
        % {"n": linked},
    )
    return actor


@login_required
def actor_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    form = ActorForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, KEEPERS)
        actor = _saved(request, form)
        if actor is not None:
            return redirect("actors:detail", pk=actor.pk)
    context = {
        "rows": selectors.actor_rows(request.user, timezone.now()),
        "recent_days": selectors.RECENT_DAYS,
        "form": form,
        "can_keep": role_of(request.user) in KEEPERS,
    }
    return render(request, "actors/list.html", context)


@login_required
def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    actor = get_object_or_404(Actor.objects.visible_to(request.user).select_related("region"), pk=pk)
    form = ActorForm(request.POST or None, instance=actor)
    if request.method == "POST":
        require_role(request.user, KEEPERS)
        if _saved(request, form) is not None:
            return redirect("actors:detail", pk=actor.pk)
        actor.refresh_from_db()  # the page shows the group as stored, the form what was typed
    context = {
        "actor": actor,
        "history": selectors.actor_history(actor, request.user),
        "form": form,
        "merge_form": MergeForm(source=actor, auto_id="merge-%s") if actor.active else None,
        "follows": actor.followers.filter(pk=request.user.pk or 0).exists(),
        "my_channels": NotifyChannel.objects.filter(user=request.user.pk or 0, active=True).count(),
        "can_keep": role_of(request.user) in KEEPERS,
    }
    return render(request, "actors/detail.html", context)


@login_required
@require_POST
def actor_merge(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, KEEPERS)
    source = get_object_or_404(Actor.objects.visible_to(request.user), pk=pk)
    form = MergeForm(request.POST, source=source)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("actors:detail", pk=source.pk)
    into = form.cleaned_data["into"]
    try:
        moved = services.actor_merge(source=source, into=into, by=request.user, reason=form.cleaned_data["reason"])
    except services.ActorRuleError as refusal:
        messages.error(request, str(refusal))
        return redirect("actors:detail", pk=source.pk)
    messages.success(
        request,
        ngettext(
            "Merged: %(n)d incident moved to %(name)s, which now also goes by the merged names.",
            "Merged: %(n)d incidents moved to %(name)s, which now also goes by the merged names.",
            moved,
        )
        % {"n": moved, "name": into.name},
    )
    return redirect("actors:detail", pk=into.pk)


def _back(incident: Incident) -> HttpResponse:
    return redirect(reverse("triage:incident_detail", args=[incident.pk]) + "#kelompok")


@login_required
@require_POST
def incident_link(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, KEEPERS)
    incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
    linked = set(IncidentActor.objects.current().filter(incident=incident).values_list("actor_id", flat=True))
    form = LinkForm(request.POST, linked=linked)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(incident)
    try:
        services.actor_link(
            incident=incident, actor=form.cleaned_data["actor"], by=request.user, note=form.cleaned_data["note"]
        )
    except services.ActorRuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Group linked."))
    return _back(incident)


@login_required
@require_POST
def incident_unlink(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    require_role(request.user, KEEPERS)
    incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
    link = get_object_or_404(IncidentActor.objects.current().select_related("actor"), pk=link_pk, incident=incident)
    form = UnlinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(incident)
    try:
        services.actor_unlink(link=link, by=request.user, reason=form.cleaned_data["reason"])
    except services.ActorRuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Link removed; the group stays in the registry."))
    return _back(incident)


@login_required
@require_POST
def actor_follow(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    actor = get_object_or_404(Actor.objects.visible_to(request.user), pk=pk)
    follow = request.POST.get("follow") == "1"
    services.actor_follow(actor=actor, user=request.user, follow=follow)
    if follow:
        messages.success(request, _("You will be told when a new incident you may see names this group."))
    else:
        messages.success(request, _("You no longer follow this group."))
    return redirect("actors:detail", pk=actor.pk)
