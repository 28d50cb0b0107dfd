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
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.addresses import UnsendableAddress, normalised
from app.submission import KEY_PATTERN, new_submission_key

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


class ShownAsTyped:
    """A field shown again as the person typed it, while a validator makes its data the
    normalised value. A form sent back for another answer should not show a number rewritten
    as +44..., or an address rewritten, which people may not recognise as their own."""

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else super()._value()


class UKPhoneField(ShownAsTyped, TelField):
    """`uk_phone` makes its data E.164 once it is valid."""


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

    def answers_for(self, model) -> dict:
        """The answers for `model`'s record: every field named as one of its columns, as the
        field gives it for a record (its `record_value`, where it has one, else its data)."""
        columns = model.__table__.columns
        return {
            name: getattr(field, "record_value", field.data)
            for name, field in self._fields.items()
            if name in columns
        }

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        token = getattr(self, self.meta.csrf_field_name, None) if self.meta.csrf else None
        if token is not None and token.errors:
            token.errors = [RESEND]
        return valid


def at_most(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer.")


def text_field(label: str, *checks, many_lines: bool = False, **options) -> StringField:
    """A typed answer, without its surrounding spaces, checked by `checks` and then for
    unusual characters; line breaks are refused unless `many_lines` (a text area)."""
    kind, last = (TextAreaField, plain_text) if many_lines else (StringField, single_line)
    return kind(label, filters=[strip], validators=[*checks, last], **options)


# The contact details every public form asks for, worded the same everywhere.
def name_field(**options) -> StringField:
    return StringField(
        "Your name",
        filters=[strip],
        validators=[InputRequired("Enter your name."), at_most(120, "Your name"), single_line],
        **options,
    )


class EmailAddress:
    """An email address, kept in its normalised form (see app.addresses).

    With `sendable` (the default), an address the clinic's email could not go to is refused
    here, so that no form accepts an address whose emails would then fail.
    """

    def __init__(self, sendable: bool = True) -> None:
        self.sendable = sendable

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        try:
            field.data = normalised(field.data, sendable=self.sendable)
        except UnsendableAddress as error:
            raise ValidationError(str(error)) from None


class EmailAddressField(ShownAsTyped, EmailField):
    """`EmailAddress` makes its data the normalised address once it is valid."""


def email_field(label: str = "Email address", missing: str = "Enter your email address.",
                sendable: bool = True) -> EmailAddressField:
    """The email address field of every form. A form that only looks an address up (signing
    in, finding a person's data) passes `sendable=False`."""
    return EmailAddressField(
        label,
        filters=[strip],
        validators=[
            InputRequired(missing),
            at_most(254, "An email address"),
            single_line,
            EmailAddress(sendable),
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
