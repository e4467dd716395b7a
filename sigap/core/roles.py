from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles. Warga (the public) report without an account and have no role."""

    ADMIN = "admin", _("Administrator")
    ANALYST = "analyst", _("Analyst (Bakesbangpol)")
    RESPONDER = "responder", _("Responder")
    MEDIATOR = "mediator", _("Mediator")
    LEADERSHIP = "leadership", _("Leadership")
    TRUSTED_REPORTER = "trusted_reporter", _("Trusted reporter")


# Roles that see every incident of the deployment (leadership read-only).
CITYWIDE_ROLES = {Role.ADMIN, Role.ANALYST, Role.LEADERSHIP}
# The secretariat's analysts and the administrators: they verify, assess, decide and record for the team.
ANALYST_ROLES = {Role.ADMIN, Role.ANALYST}
# Roles that may see the directory of people (with their contact details).
STAFF_ROLES = {Role.ADMIN, Role.ANALYST, Role.RESPONDER, Role.MEDIATOR, Role.LEADERSHIP}


def role_of(user: Any) -> Role | None:
    """The user's role; None for the anonymous public. Superusers act as administrators."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    return Role(user.role)


def require_role(user: Any, roles: set[Role]) -> None:
    """Refuse (403) a user whose role is not among `roles`; the anonymous public has no role."""
    if role_of(user) not in roles:
        raise PermissionDenied


def under_codes(field: str, codes: list[str]) -> Q:
    """Q matching rows whose region `field` (a Region FK) equals or lies under any of `codes`."""
    query = Q(pk__in=[])
    for code in codes:
        query |= Q(**{f"{field}__code": code}) | Q(**{f"{field}__code__startswith": f"{code}."})
    return query
