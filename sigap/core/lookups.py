"""Ids no column can hold match nothing instead of failing the query.

Django's integer lookups answer nothing for a number beyond the column's range since 5.0 (ticket #27397), but not
`in`, nor a foreign key compared with such a number: SQLite raised OverflowError, a server error for a hand-typed
admin filter (`?region=99999999999999999999`) or a tampered multiple choice (a form's `pk__in`). PostgreSQL compared
the number as numeric and found nothing; the rule is the same on both."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _out_of_range(field: Field[Any, Any], connection: Any) -> Any:
    """A test for values beyond the column of `field` (a foreign key's target column), or None for other columns."""
    target = field.target_field if isinstance(field, ForeignKey) else field
    kind = target.get_internal_type()
    if kind not in connection.ops.integer_field_ranges:
        return None
    low, high = connection.ops.integer_field_range(kind)

    def beyond(value: object) -> bool:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and ((low is not None and value < low) or (high is not None and value > high))
        )

    return beyond


class RelatedExactInRange(RelatedExact):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        beyond = _out_of_range(self.lhs.output_field, connection)
        if beyond is not None and beyond(self.rhs):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def _drop_beyond(lookup: Any, connection: Any) -> None:
    """Keeps the values a column can hold; `In` answers nothing when none is left."""
    if lookup.rhs_is_direct_value():
        beyond = _out_of_range(lookup.lhs.output_field, connection)
        if beyond is not None:
            lookup.rhs = [value for value in lookup.rhs if not beyond(value)]


class IntegerInRange(In):  # type: ignore[type-arg]
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        _drop_beyond(self, connection)
        return super().process_rhs(compiler, connection)


class RelatedInInRange(RelatedIn):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        _drop_beyond(self, connection)
        return super().process_rhs(compiler, connection)


def register() -> None:
    ForeignKey.register_lookup(RelatedExactInRange)
    ForeignKey.register_lookup(RelatedInInRange)
    IntegerField.register_lookup(IntegerInRange)
