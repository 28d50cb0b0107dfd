"""Validators and fields that every public form shares."""

import re
import time

import phonenumbers
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner
from wtforms import HiddenField, StringField, TelField, ValidationError

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
