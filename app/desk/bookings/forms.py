"""The desk's booking forms: answering requests, moving and cancelling, and the diary's
settings. Times travel as ISO UTC starts from the list of free slots."""

import re
from datetime import datetime, time

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    Form,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.bookings.attendance import ATTENDANCE_WORDS
from app.bookings.diary import overlapping_periods
from app.clinical.choices import as_choices
from app.timeutil import (
    LocalTimeError,
    Reading,
    RepeatedLocalTime,
    clinic_instant,
    instant_from_form,
    readings,
)
from app.validators import at_most, plain_text, single_line, strip, text_field

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PERIOD = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(?:-|to|–)\s*(\d{1,2})[:.](\d{2})\s*$")


class SlotField(SelectField):
    """A select of free slots that accepts any aware ISO time sent back.

    A slot taken after the page was shown must reach the service, which says so in plain
    words, rather than fail here as "not a valid choice".
    """

    def __init__(self, label: str, required: bool = True, **kwargs) -> None:
        super().__init__(label, validate_choice=False, filters=[strip],
                         validators=[Length(max=40, message="Choose a time from the list.")],
                         **kwargs)
        self.required = required

    def pre_validate(self, form) -> None:
        if not self.data:
            if self.required:
                raise ValidationError("Choose a time from the list.")
            return
        if self.start is None:
            raise ValidationError("Choose a time from the list.")

    @property
    def start(self) -> datetime | None:
        return instant_from_form(self.data)


def _with_slots(form, choices: dict):
    for field in form:
        if isinstance(field, SlotField):
            field.choices = choices
    return form


class ConfirmForm(FlaskForm):
    slot = SlotField("Or confirm at another time", required=False)

    def set_slots(self, choices: dict, has_time: bool):
        self.slot.required = not has_time
        self.slot.choices = choices
        return self


class ReasonForm(FlaskForm):
    """Declining a request or cancelling an appointment: the reason the patient is given."""

    reason = text_field(
        "Reason (it goes in the patient's email)",
        DataRequired("Give the patient a short reason."), at_most(500, "The reason"),
        many_lines=True,
    )


class AttendanceForm(FlaskForm):
    attendance = RadioField("Did the patient come?", choices=as_choices(
        [(value, words.capitalize()) for value, words in ATTENDANCE_WORDS.items()]
    ), validators=[InputRequired("Choose whether the patient attended.")])


class ProposeForm(FlaskForm):
    # One place for each time the osteopath may offer (app.policy.MAX_OFFERED_TIMES).
    slot_1 = SlotField("First time")
    slot_2 = SlotField("Second time (optional)", required=False)
    slot_3 = SlotField("Third time (optional)", required=False)

    def set_slots(self, choices: dict):
        return _with_slots(self, choices)

    @property
    def starts(self) -> list[datetime]:
        return [f.start for f in (self.slot_1, self.slot_2, self.slot_3) if f.start]


class RescheduleForm(FlaskForm):
    slot = SlotField("New time")

    def set_slots(self, choices: dict):
        return _with_slots(self, choices)


class BookingSearchForm(Form):
    """Read from the address bar, so a search can be bookmarked."""

    q = SearchField("Patient's name or email", filters=[strip],
                    validators=[at_most(100, "The search"), single_line])
    page = IntegerField(default=1, validators=[
        Optional(), NumberRange(min=1, max=100_000, message="No such page.")])


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a whole number, like 45.") from None


def _whole(label: str, low: int, high: int, unit: str) -> IntegerField:
    return WholeNumberField(label, validators=[
        InputRequired(f"Enter the {label.lower()} in {unit}."),
        NumberRange(min=low, max=high, message=f"Enter {low} to {high} {unit}."),
    ])


class SettingsForm(FlaskForm):
    appointment_minutes = _whole("Appointment length", 5, 480, "minutes")
    buffer_minutes = _whole("Buffer", 0, 240, "minutes")
    minimum_notice_hours = _whole("Minimum notice", 0, 720, "hours")
    horizon_days = _whole("Horizon", 1, 365, "days")
    hold_hours = _whole("Hold time", 0, 720, "hours")
    clinic_address = TextAreaField(
        "Clinic address (in confirmation emails)", filters=[strip],
        validators=[at_most(300, "The address"), plain_text],
    )


def parse_periods(text: str) -> list[tuple[time, time]]:
    """"09:00-13:00, 14:00-18:00" as (opens, closes) pairs; ValueError with plain words."""
    periods = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        match = PERIOD.match(part)
        if match is None:
            raise ValueError(f"Write \"{part}\" like 09:00-13:00.")
        h1, m1, h2, m2 = (int(n) for n in match.groups())
        try:
            opens, closes = time(h1, m1), time(h2, m2)
        except ValueError:
            raise ValueError(f"\"{part}\" is not a time of day.") from None
        if opens >= closes:
            raise ValueError(f"In \"{part}\" the end must be after the start.")
        periods.append((opens, closes))
    return periods


def _day_field(name: str) -> StringField:
    def check(form, field) -> None:
        try:
            periods = parse_periods(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        problem = overlapping_periods(periods)
        if problem:
            raise ValidationError(problem)

    return StringField(name, filters=[strip],
                       validators=[at_most(200, name), single_line, check])


class HoursForm(FlaskForm):
    monday, tuesday, wednesday, thursday, friday, saturday, sunday = (
        _day_field(day) for day in WEEKDAYS
    )

    def day_fields(self):
        return [getattr(self, day.lower()) for day in WEEKDAYS]

    def fill(self, periods) -> "HoursForm":
        for index, field in enumerate(self.day_fields()):
            field.data = ", ".join(f"{p.opens:%H:%M}-{p.closes:%H:%M}"
                                   for p in periods if p.weekday == index)
        return self

    @property
    def periods(self) -> list[tuple[int, time, time]]:
        return [(index, opens, closes) for index, field in enumerate(self.day_fields())
                for opens, closes in parse_periods(field.data)]


class WhichReadingField(RadioField):
    """Which reading of a clinic time the clocks repeat is meant. It has choices, and is
    shown, only when the time typed beside it is one of those."""

    ORDER = ("first", "second")

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, choices=[], validate_choice=False, **kwargs)

    @property
    def which(self) -> int | None:
        return self.ORDER.index(self.data) if self.data in self.ORDER else None

    def offer(self, both: list[Reading]) -> None:
        self.choices = [(name, reading.label)
                        for name, reading in zip(self.ORDER, both, strict=True)]


def clinic_time(field, which_field: WhichReadingField) -> datetime | None:
    """The instant a clinic wall-clock time typed in `field` names, or None if there is none
    yet; ValidationError in plain words for a time the clocks skip, or a repeated one whose
    reading `which_field` does not give (its choices are then offered)."""
    if not field.data:
        return None
    if not 2000 <= field.data.year <= 2200:
        raise ValidationError("Enter a date between the years 2000 and 2200.")
    repeated = readings(field.data)
    if repeated:
        which_field.offer(repeated)
    try:
        return clinic_instant(field.data, which_field.which)
    except RepeatedLocalTime as error:
        raise ValidationError(f"{error} Choose which one you mean.") from None
    except LocalTimeError as error:
        raise ValidationError(str(error)) from None


class ClosureForm(FlaskForm):
    starts = DateTimeLocalField("Closed from", format="%Y-%m-%dT%H:%M",
                                validators=[InputRequired("Enter when the closure starts.")])
    starts_which = WhichReadingField("Closed from: which one?")
    ends = DateTimeLocalField("Open again at", format="%Y-%m-%dT%H:%M",
                              validators=[InputRequired("Enter when the clinic opens again.")])
    ends_which = WhichReadingField("Open again at: which one?")
    reason = StringField("Why (only you see this)", filters=[strip],
                         validators=[at_most(200, "The reason"), single_line])

    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def validate_starts(self, field) -> None:
        self.starts_at = clinic_time(field, self.starts_which)

    def validate_ends(self, field) -> None:
        self.ends_at = clinic_time(field, self.ends_which)
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError("The clinic must open again after the closure starts.")


class ActionForm(FlaskForm):
    """A button with nothing to fill in: only its CSRF token."""
