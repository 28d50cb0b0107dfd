"""The public booking form and the forms on a patient's manage page."""

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, StringField, TextAreaField, ValidationError
from wtforms.validators import Email, InputRequired, Length, Optional

from app.enquiries.forms import RESEND, at_most
from app.validators import (
    FillTimerField,
    HoneypotField,
    UKPhoneField,
    plain_text,
    single_line,
    strip,
    uk_phone,
)

NO_TIME = "Choose one of the times shown, or tell us up to three times that would suit you."
NOT_A_SLOT = "Choose one of the times shown."


class FriendlyCsrfForm(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        token = getattr(self, self.meta.csrf_field_name, None) if self.meta.csrf else None
        if token is not None and token.errors:
            token.errors = [RESEND]
        return valid


def preferred_time(label: str) -> StringField:
    return StringField(
        label, filters=[strip], validators=[at_most(100, "A preferred time"), single_line]
    )


class BookingForm(FriendlyCsrfForm):
    # An ISO UTC start from the list of free slots; the service decides whether it is free.
    slot = HiddenField(filters=[strip], validators=[Length(max=40)])
    preferred_1 = preferred_time("First choice")
    preferred_2 = preferred_time("Second choice")
    preferred_3 = preferred_time("Third choice")
    name = StringField(
        "Your name",
        filters=[strip],
        validators=[InputRequired("Enter your name."), at_most(120, "Your name"), single_line],
    )
    email = EmailField(
        "Email address",
        filters=[strip],
        validators=[
            InputRequired("Enter your email address."),
            at_most(254, "Your email address"),
            Email("Enter an email address like name@example.com.", check_deliverability=False),
            single_line,
        ],
    )
    phone = UKPhoneField(
        "Phone number (optional)",
        filters=[strip],
        validators=[Optional(), at_most(32, "Your phone number"), single_line, uk_phone],
    )
    reason = TextAreaField(
        "What would you like help with? (optional)",
        filters=[strip],
        validators=[at_most(2000, "This answer"), plain_text],
    )
    enquiry = HiddenField(validators=[Length(max=500)])
    started = FillTimerField()
    website = HoneypotField("Leave this field empty", validators=[Length(max=200)])

    def validate_slot(self, field) -> None:
        if field.data and self.chosen_start is None:
            raise ValidationError(NOT_A_SLOT)
        if not field.data and not self.preferred_times:
            raise ValidationError(NO_TIME)

    @property
    def chosen_start(self) -> datetime | None:
        try:
            moment = datetime.fromisoformat(self.slot.data or "")
        except ValueError:
            return None
        return moment if moment.tzinfo is not None else None

    @property
    def preferred_times(self) -> list[str]:
        fields = (self.preferred_1, self.preferred_2, self.preferred_3)
        return [field.data for field in fields if field.data]


class CancelForm(FriendlyCsrfForm):
    reason = StringField(
        "Reason (optional)",
        filters=[strip],
        validators=[at_most(300, "The reason"), single_line],
    )


class RescheduleForm(FriendlyCsrfForm):
    note = TextAreaField(
        "Which days or times would suit you better? (optional)",
        filters=[strip],
        validators=[at_most(1000, "This answer"), plain_text],
    )


class AcceptOfferForm(FriendlyCsrfForm):
    pass
