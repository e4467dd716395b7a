"""A foreign key compared with an id no column can hold matches nothing, as Django's own integer lookups do since 5.0
(ticket #27397), instead of SQLite's OverflowError or PostgreSQL's out-of-range error: a hand-typed
`?region=99999999999999999999` in the admin's filters was a server error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey
from django.db.models.fields.related_lookups import RelatedExact


class RelatedExactInRange(RelatedExact):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        rhs = self.rhs
        if isinstance(rhs, int) and not isinstance(rhs, bool):
            kind = self.lhs.output_field.target_field.get_internal_type()
            if kind in connection.ops.integer_field_ranges:
                low, high = connection.ops.integer_field_range(kind)
                if (low is not None and rhs < low) or (high is not None and rhs > high):
                    raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    ForeignKey.register_lookup(RelatedExactInRange)
