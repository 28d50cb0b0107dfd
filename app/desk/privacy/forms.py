"""The privacy pages' forms: finding a person by email, and confirming an erasure."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import InputRequired, Length, ValidationError

from app.validators import email_field, strip, text_field


class PersonForm(FlaskForm):
    # Sent by POST, never in the address: an address bar ends up in logs and history.
    email = email_field("Their email address", "Enter the email address they wrote from.",
                        sendable=False)


class EraseForm(FlaskForm):
    email = HiddenField(filters=[strip], validators=[InputRequired(), Length(max=254)])
    confirm = text_field(
        "Type the email address again to confirm",
        InputRequired("Type the email address to confirm."), Length(max=254),
    )

    def validate_confirm(self, field) -> None:
        if (field.data or "").lower() != (self.email.data or "").lower():
            raise ValidationError("That is not the same address; nothing was erased.")
