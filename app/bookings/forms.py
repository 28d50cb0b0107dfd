"""The public booking form and the forms on a patient's manage page."""

from datetime import datetime

from wtforms import BooleanField, HiddenField, StringField, ValidationError
from wtforms.validators import InputRequired, Length

from app.timeutil import instant_from_form
from app.validators import (
    FillTimerField,
    HoneypotField,
    PublicForm,
    SubmissionKeyField,
    at_most,
    email_field,
    name_field,
    phone_field,
    strip,
    text_field,
)

NO_TIME = "Choose one of the times shown, or tell us up to three times that would suit you."
NOT_A_SLOT = "Choose one of the times shown."


def preferred_time(label: str) -> StringField:
    return text_field(label, at_most(100, "A preferred time"))


class BookingForm(PublicForm):
    # An ISO UTC start from the list of free slots; the service decides whether it is free.
    slot = HiddenField(filters=[strip], validators=[Length(max=40)])
    preferred_1 = preferred_time("First choice")
    preferred_2 = preferred_time("Second choice")
    preferred_3 = preferred_time("Third choice")
    # Sent as `name`, kept as the appointment's `patient_name`.
    patient_name = name_field(name="name")
    email = email_field()
    phone = phone_field()
    reason = text_field(
        "What would you like help with? (optional)", at_most(2000, "This answer"),
        many_lines=True,
    )
    consent_contact = BooleanField(
        "I agree that the clinic may contact me about this appointment and keep what I have "
        "told them",
        validators=[InputRequired("We need your agreement to arrange your appointment.")],
    )
    enquiry = HiddenField(validators=[Length(max=500)])
    started = FillTimerField()
    submission_key = SubmissionKeyField()
    website = HoneypotField("Leave this field empty", validators=[Length(max=200)])

    def validate_slot(self, field) -> None:
        if field.data and self.chosen_start is None:
            raise ValidationError(NOT_A_SLOT)
        if not field.data and not self.preferred_times:
            raise ValidationError(NO_TIME)

    @property
    def chosen_start(self) -> datetime | None:
        return instant_from_form(self.slot.data)

    @property
    def preferred_times(self) -> list[str]:
        fields = (self.preferred_1, self.preferred_2, self.preferred_3)
        return [field.data for field in fields if field.data]


class CancelForm(PublicForm):
    reason = text_field("Reason (optional)", at_most(300, "The reason"))


class RescheduleForm(PublicForm):
    note = text_field(
        "Which days or times would suit you better? (optional)", at_most(1000, "This answer"),
        many_lines=True,
    )


class AcceptOfferForm(PublicForm):
    pass
