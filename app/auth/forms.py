"""The sign-in form."""

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import InputRequired, Length

from app.validators import email_field, text_field

from .service import MAX_PASSWORD_LENGTH


class SignInForm(FlaskForm):
    email = email_field(sendable=False)
    password = PasswordField(
        "Password",
        validators=[
            InputRequired("Enter your password."),
            Length(max=MAX_PASSWORD_LENGTH, message="That password is too long."),
        ],
    )


class CodeForm(FlaskForm):
    code = text_field(
        "Code",
        InputRequired("Enter the 6-digit code from your app, or a recovery code."),
        Length(max=20, message="That code is too long."),
    )
