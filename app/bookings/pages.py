"""Laying free slots out for the /book page: by week, then by day, in the clinic's zone."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.timeutil import as_utc, clinic_zone

from .slots import Slot


@dataclass
class Day:
    date: date
    slots: list[Slot] = field(default_factory=list)


@dataclass
class Week:
    monday: date
    days: list[Day] = field(default_factory=list)

    @property
    def has_slots(self) -> bool:
        return any(day.slots for day in self.days)


def slot_weeks(slots: list[Slot]) -> list[Week]:
    """Weeks from the first free slot's to the last's; a week with none in between is kept,
    so that paging through a holiday says so instead of jumping over it."""
    if not slots:
        return []
    zone = clinic_zone()
    by_day: dict[date, Day] = {}
    for start, end in slots:
        local = start.astimezone(zone).date()
        by_day.setdefault(local, Day(local)).slots.append((start, end))
    first, last = _monday(min(by_day)), _monday(max(by_day))
    weeks = []
    monday = first
    while monday <= last:
        days = [by_day[d] for d in sorted(by_day) if monday <= d < monday + timedelta(days=7)]
        weeks.append(Week(monday, days))
        monday += timedelta(days=7)
    return weeks


def week_containing(weeks: list[Week], chosen: datetime | None, asked: int | None) -> int:
    """The week to show: the chosen slot's, else the one asked for, else the first."""
    if chosen is not None:
        local = as_utc(chosen).astimezone(clinic_zone()).date()
        for index, week in enumerate(weeks):
            if week.monday <= local < week.monday + timedelta(days=7):
                return index
    if asked is not None and 0 <= asked < len(weeks):
        return asked
    return 0


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
