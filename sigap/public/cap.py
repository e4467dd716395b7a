"""Public warnings as OASIS Common Alerting Protocol 1.2 messages, and an Atom feed of them (the CAP feed practice
of alert hubs). Element order, enumerations and time format follow the CAP 1.2 standard."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 - building XML, not parsing untrusted input

from django.conf import settings
from django.utils import timezone
from shapely.geometry import shape

from sigap.public.models import PublicWarning
from sigap.risk.choices import RiskLevel

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
# The local ladder mapped onto CAP's severity and urgency (a design choice, documented with the feed).
SEVERITY = {
    RiskLevel.AMAN: "Minor",
    RiskLevel.WASPADA: "Moderate",
    RiskLevel.SIAGA: "Severe",
    RiskLevel.AWAS: "Extreme",
}
URGENCY = {
    RiskLevel.AMAN: "Future",
    RiskLevel.WASPADA: "Expected",
    RiskLevel.SIAGA: "Expected",
    RiskLevel.AWAS: "Immediate",
}


def cap_time(moment: datetime) -> str:
    """CAP dateTime: local time with its offset, no fractions (e.g. 2020-12-09T10:00:00+07:00)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _sender() -> str:
    host = (settings.SIGAP_PUBLIC_URL.split("//")[-1].split("/")[0] or "sigap.local").split(":")[0]
    return f"sigap@{host}"


def identifier(warning: PublicWarning, cancel: bool = False) -> str:
    return f"sigap-{settings.SIGAP_DEPLOYMENT_REGION}-pw{warning.pk}" + ("-cancel" if cancel else "")


def _polygons(boundary: dict[str, Any] | None) -> list[str]:
    """CAP polygons: "lat,lon" pairs, closed, simplified so that a message stays small."""
    if not boundary:
        return []
    geom = shape(boundary).simplify(0.0003, preserve_topology=True)
    polys = [geom] if geom.geom_type == "Polygon" else list(getattr(geom, "geoms", []))
    out = []
    for poly in polys:
        ring = list(poly.exterior.coords)
        if len(ring) >= 4:
            out.append(" ".join(f"{lat:.5f},{lon:.5f}" for lon, lat in ring))
    return out


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{CAP_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def cap_alert(warning: PublicWarning, *, cancel: bool = False) -> ET.Element:
    level = RiskLevel(warning.level)
    alert = ET.Element(f"{{{CAP_NS}}}alert")
    sent = warning.cancelled_at if cancel and warning.cancelled_at else warning.issued_at
    _sub(alert, "identifier", identifier(warning, cancel))
    _sub(alert, "sender", _sender())
    _sub(alert, "sent", cap_time(sent))
    _sub(alert, "status", "Actual")
    _sub(alert, "msgType", "Cancel" if cancel else "Alert")
    _sub(alert, "scope", "Public")
    if cancel:
        _sub(alert, "note", warning.cancel_note or "Dicabut")
        _sub(alert, "references", f"{_sender()},{identifier(warning)},{cap_time(warning.issued_at)}")
    info = _sub(alert, "info")
    _sub(info, "language", "id-ID")
    _sub(info, "category", "Safety")
    _sub(info, "event", f"Kerawanan konflik sosial: {level.label}")
    _sub(info, "responseType", "Monitor" if level < RiskLevel.AWAS else "Avoid")
    _sub(info, "urgency", "Past" if cancel else URGENCY[level])
    _sub(info, "severity", SEVERITY[level])
    _sub(info, "certainty", "Likely" if level >= RiskLevel.SIAGA else "Possible")
    _sub(info, "effective", cap_time(warning.issued_at))
    _sub(info, "expires", cap_time(warning.cancelled_at if cancel and warning.cancelled_at else warning.expires_at))
    _sub(info, "senderName", settings.SIGAP_DEPLOYMENT_NAME)
    _sub(info, "headline", warning.headline[:160])
    _sub(info, "description", warning.description)
    _sub(info, "instruction", warning.instruction)
    if settings.SIGAP_PUBLIC_URL:
        _sub(info, "web", settings.SIGAP_PUBLIC_URL.rstrip("/") + "/publik/")
    for region in warning.regions.all():
        area = _sub(info, "area")
        _sub(area, "areaDesc", f"Kel./Kec. {region.name}")
        for polygon in _polygons(region.boundary):
            _sub(area, "polygon", polygon)
        geocode = _sub(area, "geocode")
        _sub(geocode, "valueName", "KEMENDAGRI")
        _sub(geocode, "value", region.code)
    return alert


def cap_document(warning: PublicWarning, *, cancel: bool = False) -> bytes:
    ET.register_namespace("", CAP_NS)
    return bytes(ET.tostring(cap_alert(warning, cancel=cancel), encoding="utf-8", xml_declaration=True))


def atom_feed(warnings: list[PublicWarning], *, self_url: str, now: datetime) -> bytes:
    """An Atom feed whose entries carry each CAP message inline."""
    ET.register_namespace("", ATOM_NS)
    ET.register_namespace("cap", CAP_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")

    def atom(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    atom(feed, "id", f"urn:sigap:{settings.SIGAP_DEPLOYMENT_REGION}:cap")
    atom(feed, "title", f"Peringatan publik {settings.SIGAP_DEPLOYMENT_NAME}")
    atom(feed, "updated", cap_time(max([w.updated_at for w in warnings], default=now)))
    atom(feed, "link", rel="self", href=self_url)
    author = atom(feed, "author")
    atom(author, "name", settings.SIGAP_DEPLOYMENT_NAME)
    for warning in warnings:
        cancel = warning.cancelled_at is not None
        entry = atom(feed, "entry")
        atom(entry, "id", f"urn:sigap:{identifier(warning, cancel)}")
        atom(entry, "title", ("[DICABUT] " if cancel else "") + warning.headline)
        atom(entry, "updated", cap_time(warning.updated_at))
        atom(entry, "summary", warning.description[:300])
        content = atom(entry, "content", type="application/cap+xml")
        content.append(cap_alert(warning, cancel=cancel))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
