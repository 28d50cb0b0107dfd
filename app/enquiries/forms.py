"""The public enquiry form."""

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Email, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.validators import (
    FillTimerField,
    HoneypotField,
    plain_text,
    single_line,
    strip,
    uk_phone,
)

from . import choices
from .screening import RED_FLAGS

ARTICLE_REF = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
NONE_OF_THESE = "none"


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EnquiryForm(FlaskForm):
    name = StringField(
        "Your name",
        filters=[strip],
        validators=[InputRequired("Enter your name."), Length(max=120), single_line],
    )
    email = EmailField(
        "Email address",
        filters=[strip],
        validators=[
            InputRequired("Enter your email address."),
            Length(max=254),
            Email("Enter an email address like name@example.com.", check_deliverability=False),
            single_line,
        ],
    )
    phone = TelField(
        "Phone number (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=32), single_line, uk_phone],
    )
    problem = RadioField(
        "What is the problem?",
        choices=choices.as_choices(choices.PROBLEMS),
        validators=[InputRequired("Choose the problem that fits best.")],
    )
    location = StringField(
        "Where do you feel it?",
        filters=[strip],
        validators=[
            InputRequired("Tell us where you feel the pain or problem."),
            Length(max=200),
            single_line,
        ],
    )
    duration = RadioField(
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
        validators=[Length(max=200), single_line],
    )
    pain_score = RadioField(
        "How bad is the pain at its worst, from 0 (no pain) to 10 (the worst imaginable)?",
        choices=choices.as_choices(choices.PAIN_SCORES),
        validators=[InputRequired("Choose a pain score from 0 to 10.")],
    )
    message = TextAreaField(
        "Anything else you would like us to know (optional)",
        filters=[strip],
        validators=[Length(max=2000), plain_text],
    )
    red_flags = CheckboxListField(
        "Do any of these apply to you now?",
        choices=choices.as_choices(
            [(flag.code, flag.question) for flag in RED_FLAGS]
            + [(NONE_OF_THESE, "None of these apply to me")]
        ),
    )
    wants_appointment = BooleanField("I would also like to book an appointment")
    consent_contact = BooleanField(
        "I agree that the clinic may contact me about this enquiry",
        validators=[InputRequired("We need your agreement to reply to your enquiry.")],
    )
    consent_followup = BooleanField(
        "Send me exercises and check-in emails that may help (optional; stop them at any time)"
    )
    ref = HiddenField(filters=[strip], validators=[Optional(), Length(max=64)])
    started = FillTimerField()
    website = HoneypotField("Leave this field empty", validators=[Length(max=200)])

    def validate_red_flags(self, field) -> None:
        answers = set(field.data or [])
        if not answers:
            raise ValidationError("Tick any that apply, or tick 'None of these apply to me'.")
        if NONE_OF_THESE in answers and len(answers) > 1:
            raise ValidationError(
                "You ticked 'None of these apply to me' and a symptom. Please check your answers."
            )

    def validate_ref(self, field) -> None:
        # An unknown or malformed article reference is dropped, not held against the patient.
        if field.data and not ARTICLE_REF.match(field.data):
            field.data = ""

    @property
    def red_flag_codes(self) -> list[str]:
        return [code for code in self.red_flags.data or [] if code != NONE_OF_THESE]
