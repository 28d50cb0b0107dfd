"""The public enquiry form."""

import re

from wtforms import (
    BooleanField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from app.clinical import choices
from app.clinical.fields import OptionsField, RedFlagsField
from app.validators import (
    CheckboxListField,
    FillTimerField,
    HoneypotField,
    PublicForm,
    SubmissionKeyField,
    at_most,
    email_field,
    name_field,
    phone_field,
    plain_text,
    single_line,
    strip,
)

ARTICLE_REF = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class EnquiryForm(PublicForm):
    name = name_field()
    email = email_field()
    phone = phone_field()
    problem = OptionsField(
        "What is the problem?",
        choices=choices.as_choices(choices.PROBLEMS),
        validators=[InputRequired("Choose the problem that fits best.")],
    )
    location = StringField(
        "Where do you feel it?",
        filters=[strip],
        validators=[
            InputRequired("Tell us where you feel the pain or problem."),
            at_most(200, "Where you feel it"),
            single_line,
        ],
    )
    duration = OptionsField(
        "How long have you had it?",
        choices=choices.as_choices(choices.DURATIONS),
        validators=[InputRequired("Tell us how long you have had it.")],
    )
    triggers = CheckboxListField(
        "What brings it on? Tick any that apply", choices=choices.as_choices(choices.TRIGGERS)
    )
    trigger_other = StringField(
        "Anything else that brings it on (optional)",
        filters=[strip],
        validators=[at_most(200, "This answer"), single_line],
    )
    pain_score = OptionsField(
        "How bad is the pain at its worst, from 0 (no pain) to 10 (the worst imaginable)?",
        choices=choices.as_choices(choices.PAIN_SCORES),
        validators=[InputRequired("Choose a pain score from 0 to 10.")],
    )
    message = TextAreaField(
        "Anything else you would like us to know (optional)",
        filters=[strip],
        validators=[at_most(2000, "Your message"), plain_text],
    )
    red_flags = RedFlagsField("Do any of these apply to you now?")
    wants_appointment = BooleanField("I would also like to book an appointment")
    consent_contact = BooleanField(
        "I agree that the clinic may contact me about this enquiry",
        validators=[InputRequired("We need your agreement to reply to your enquiry.")],
    )
    consent_followup = BooleanField(
        "Send me exercises and check-in emails that may help (optional; stop them at any time)"
    )
    # No length check of its own: validate_ref drops what is not a slug, too long included.
    ref = HiddenField(filters=[strip])
    started = FillTimerField()
    submission_key = SubmissionKeyField()
    website = HoneypotField("Leave this field empty", validators=[Length(max=200)])

    def carry_ref(self, value: str) -> None:
        """Keep the article the person came from, if the link named it plainly."""
        self.ref.data = value.strip()
        self.validate_ref(self.ref)

    def validate_ref(self, field) -> None:
        # An unknown or malformed article reference is dropped, not held against the patient.
        if field.data and not ARTICLE_REF.match(field.data):
            field.data = ""

    @property
    def red_flag_codes(self) -> list[str]:
        return self.red_flags.codes
