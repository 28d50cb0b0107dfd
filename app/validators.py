"""Validators and fields that every public form shares."""

import re
import time

import phonenumbers
from flask import current_app
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner
from wtforms import (
    EmailField,
    HiddenField,
    SelectMultipleField,
    StringField,
    TelField,
    ValidationError,
)
from wtforms.validators import Email, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .submission import KEY_PATTERN, new_submission_key

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def single_line(form, field) -> None:
    if field.data and (_LINE_BREAK.search(field.data) or _CONTROL.search(field.data)):
        raise ValidationError("Use a single line of ordinary text.")


def plain_text(form, field) -> None:
    """Free text may have line breaks, but not other control characters."""
    if field.data and _CONTROL.search(field.data):
        raise ValidationError("Remove the unusual characters from this answer.")


def normalise_uk_phone(text: str) -> str:
    """E.164 for a valid UK (or explicitly international) number; ValueError otherwise."""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValueError(text) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def uk_phone(form, field) -> None:
    if not field.data:
        return
    try:
        field.data = normalise_uk_phone(field.data)
    except ValueError:
        raise ValidationError(
            "Enter a phone number like 07710 466880, or leave this empty."
        ) from None


class UKPhoneField(TelField):
    """Shown again as the person typed it; `uk_phone` makes its data E.164 once it is valid.

    A form sent back for another answer should not show a number rewritten as +44..., which
    people may not recognise as their own.
    """

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else super()._value()


class HoneypotField(StringField):
    """A field people never see; software that fills in every box fills it in."""

    def pre_validate(self, form) -> None:
        if self.data:
            raise ValidationError("We could not accept this form. Please call us instead.")


class FillTimerField(HiddenField):
    """A signed time stamp of when the form was shown, to turn away instant submissions."""

    SALT = "form-fill-timer"

    def issue(self) -> None:
        self.data = TimestampSigner(current_app.secret_key, salt=self.SALT).sign("form").decode()

    def _value(self) -> str:
        if not self.data:
            self.issue()
        return self.data

    def pre_validate(self, form) -> None:
        config = current_app.config
        signer = TimestampSigner(current_app.secret_key, salt=self.SALT)
        try:
            _, issued = signer.unsign(
                self.data or "", max_age=config["ENQUIRY_MAX_FORM_AGE_SECONDS"],
                return_timestamp=True,
            )
        except SignatureExpired:
            self.issue()
            raise ValidationError(
                "This form was open for a long time. Please check your answers and send it again."
            ) from None
        except BadSignature:
            self.issue()
            raise ValidationError("We could not accept this form. Please try again.") from None
        if time.time() - issued.timestamp() < config["ENQUIRY_MIN_FILL_SECONDS"]:
            # The stamp is kept, not renewed: the person's time keeps counting from when the
            # form was first shown, so sending it again a moment later works.
            raise ValidationError(
                "That was very quick. Please check your answers, then send the form again."
            )


class SubmissionKeyField(HiddenField):
    """The form's one-time key (app.submission): issued when the form is first shown, and
    sent back unchanged with every try, so that the same form is saved once."""

    def _value(self) -> str:
        if not self.data:
            self.data = new_submission_key()
        return self.data

    def pre_validate(self, form) -> None:
        if not re.match(KEY_PATTERN, self.data or ""):
            self.data = None  # the form comes back with a new one
            raise ValidationError("We could not accept this form. Please send it again.")


# A missing, expired or mismatched CSRF token; most often a page left open a long time.
RESEND = (
    "We could not send the form this time. Your answers are still here: please send it "
    "again. If this keeps happening, please call us."
)


class PublicForm(FlaskForm):
    """A form the public fills in. Its CSRF failure reads as a request to resend, since
    Flask-WTF's own words ("The CSRF token is missing.") mean nothing to a patient."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        token = getattr(self, self.meta.csrf_field_name, None) if self.meta.csrf else None
        if token is not None and token.errors:
            token.errors = [RESEND]
        return valid


def at_most(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer.")


# The contact details every public form asks for, worded the same everywhere.
def name_field() -> StringField:
    return StringField(
        "Your name",
        filters=[strip],
        validators=[InputRequired("Enter your name."), at_most(120, "Your name"), single_line],
    )


def email_field() -> EmailField:
    return EmailField(
        "Email address",
        filters=[strip],
        validators=[
            InputRequired("Enter your email address."),
            at_most(254, "Your email address"),
            # An address with letters beyond ASCII before the @ needs a mail server that
            # speaks SMTPUTF8, which the clinic's may not: every email to it would fail.
            Email("Enter an email address like name@example.com.", check_deliverability=False,
                  allow_smtputf8=False),
            single_line,
        ],
    )


def phone_field() -> "UKPhoneField":
    return UKPhoneField(
        "Phone number (optional)",
        filters=[strip],
        validators=[Optional(), at_most(32, "Your phone number"), single_line, uk_phone],
    )


# Seen after a changed or stale page, or a tampered request; never for a real choice.
UNKNOWN_OPTION = "Choose from the answers shown."


class CheckboxListField(SelectMultipleField):
    """Several answers as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        # WTForms' own message repeats the unknown value back in quotes.
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(UNKNOWN_OPTION) from None
