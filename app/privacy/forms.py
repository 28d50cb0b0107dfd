"""The privacy pages' forms: finding a person by email, and confirming an erasure."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, StringField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from app.validators import single_line, strip


class PersonForm(FlaskForm):
    # Sent by POST, never in the address: an address bar ends up in logs and history.
    email = EmailField(
        "Their email address",
        filters=[strip],
        validators=[
            InputRequired("Enter the email address they wrote from."),
            Length(max=254, message="That email address is too long."),
            Email("Enter an email address, like name@example.com.", check_deliverability=False),
            single_line,
        ],
    )


class EraseForm(FlaskForm):
    email = HiddenField(filters=[strip], validators=[InputRequired(), Length(max=254)])
    confirm = StringField(
        "Type the email address again to confirm",
        filters=[strip],
        validators=[InputRequired("Type the email address to confirm."), Length(max=254)],
    )

    def validate_confirm(self, field) -> None:
        if (field.data or "").lower() != (self.email.data or "").lower():
            raise ValidationError("That is not the same address; nothing was erased.")
