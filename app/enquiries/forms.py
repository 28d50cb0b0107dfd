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
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Email, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.validators import (
    FillTimerField,
    HoneypotField,
    UKPhoneField,
    plain_text,
    single_line,
    strip,
    uk_phone,
)

from . import choices
from .screening import RED_FLAGS

ARTICLE_REF = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
NONE_OF_THESE = "none"
# Seen after a changed or stale page, or a tampered request; never for a real choice.
UNKNOWN_OPTION = "Choose from the answers shown."
# A missing, expired or mismatched CSRF token; most often a page left open a long time.
RESEND = (
    "We could not send the form this time. Your answers are still here: please press "
    "'Send my enquiry' again. If this keeps happening, please call us."
)


def at_most(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer.")


class OptionsField(RadioField):
    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(UNKNOWN_OPTION) from None


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        # WTForms' own message repeats the unknown value back in quotes.
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(UNKNOWN_OPTION) from None


class EnquiryForm(FlaskForm):
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
    # No length check of its own: validate_ref drops what is not a slug, too long included.
    ref = HiddenField(filters=[strip])
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

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        token = getattr(self, self.meta.csrf_field_name, None) if self.meta.csrf else None
        if token is not None and token.errors:
            # Flask-WTF's words ("The CSRF token is missing.") mean nothing to a patient.
            token.errors = [RESEND]
        return valid

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
        return [code for code in self.red_flags.data or [] if code != NONE_OF_THESE]
