from __future__ import annotations

from typing import Any

from django.db import models

from sigap.regions.choices import AliasSource, Level
from sigap.regions.names import name_key


class RegionQuerySet(models.QuerySet["Region"]):
    def under(self, code: str) -> RegionQuerySet:
        """Regions strictly below `code` in the hierarchy (codes nest by prefix)."""
        return self.filter(code__startswith=f"{code}.")

    def with_boundary(self) -> RegionQuerySet:
        return self.exclude(boundary=None)

    def containing_point_bbox(self, lat: float, lng: float) -> RegionQuerySet:
        return self.filter(min_lat__lte=lat, max_lat__gte=lat, min_lng__lte=lng, max_lng__gte=lng)


class Region(models.Model):
    """A Kemendagri administrative unit: provinsi, kabupaten/kota, kecamatan or desa/kelurahan."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=16, choices=Level.choices)
    kind = models.CharField(max_length=16, blank=True, help_text="kabupaten/kota, desa/kelurahan")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name_key = models.CharField(max_length=120, db_index=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    # Boundary as a GeoJSON geometry (lon/lat); the bbox columns pre-filter point lookups in SQL.
    boundary = models.JSONField(null=True, blank=True)
    boundary_source = models.CharField(max_length=64, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    min_lng = models.FloatField(null=True, blank=True)
    max_lng = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lng = models.FloatField(null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "parent"]),
            models.Index(fields=["min_lat", "max_lat", "min_lng", "max_lng"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """Name with its kind, as people say it: 'Kelurahan Bugul Lor', 'Kecamatan Panggungrejo'."""
        if self.level == Level.KECAMATAN:
            return f"Kecamatan {self.name}"
        if self.level == Level.DESA_KELURAHAN and self.kind:
            return f"{self.kind.capitalize()} {self.name}"
        return self.name


class RegionAlias(models.Model):
    """Another name that should find a region: an older official name, a BPS spelling, a landmark."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=160)
    name_key = models.CharField(max_length=160, db_index=True)
    source = models.CharField(max_length=20, choices=AliasSource.choices, default=AliasSource.LOCAL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "name_key"], name="region_alias_unique_key")]
        verbose_name_plural = "region aliases"

    def __str__(self) -> str:
        return f"{self.name} → {self.region.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)
