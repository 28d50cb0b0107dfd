"""A long list on the desk, a page at a time, for the same cost however long it grows.

A list says exactly how many rows match, and how many pages that makes, while there are at
most COUNT_CAP of them; past that it says "more than" and keeps only its Newer and Older links.
Counting every match read every row of a list on each view (100,000 enquiries for one page of
25 read from an index), so a page slowed as the clinic grew; counting stops at the cap instead.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal_column, select

from app.extensions import db

# Beyond this a number stops helping anyone find an enquiry: searching or filtering does.
COUNT_CAP = 1000


@dataclass(frozen=True)
class Page:
    """One page of a list; `total` is None when more than `cap` rows match."""

    items: list
    page: int
    per_page: int
    total: int | None
    has_next: bool
    cap: int = COUNT_CAP

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def pages(self) -> int | None:
        """How many pages there are, when the total is known."""
        if self.total is None:
            return None
        return max(1, -(-self.total // self.per_page))

    @property
    def past_the_end(self) -> bool:
        """An address for a page the list does not reach (an old bookmark, a shorter list)."""
        return self.page > 1 and not self.items


def capped_count(matching: Select, cap: int = COUNT_CAP) -> int | None:
    """How many rows `matching` selects, or None when more than `cap` do."""
    first = matching.with_only_columns(
        literal_column("1"), maintain_column_froms=True
    ).limit(cap + 1)
    counted = db.session.scalar(select(func.count()).select_from(first.subquery()))
    return counted if counted <= cap else None


def paginate(
    matching: Select,
    order_by: Sequence,
    page: int,
    per_page: int,
    load: Callable[[Select], Sequence[Any]] | None = None,
) -> Page:
    """Page `page` of the rows `matching` selects, in `order_by` order, in two queries.

    `load` reads the page from the ordered, limited statement when the list wants more than
    that statement's own rows (flags worked out for those rows only, say). One row more than a
    page is read, so that Older is offered exactly when there is something older.
    """
    total = capped_count(matching)
    window = matching.order_by(*order_by).limit(per_page + 1).offset((page - 1) * per_page)
    rows = list(load(window) if load else db.session.scalars(window))
    return Page(rows[:per_page], page, per_page, total, has_next=len(rows) > per_page)
