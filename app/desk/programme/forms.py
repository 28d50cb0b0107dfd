"""The desk's programme forms: enrol, pause, resume or stop, and choose the article parts."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from app.clinical.choices import as_choices
from app.models.programme import ACTIVE, PAUSED, STOPPED
from app.validators import CheckboxListField, single_line, strip

ACTIONS = [(PAUSED, "Pause"), (ACTIVE, "Resume"), (STOPPED, "Stop")]


class EnrolForm(FlaskForm):
    # Asked only while the patient has not confirmed the address from their email.
    address_checked = BooleanField("I have checked this email address with the patient")


class ProgrammeStatusForm(FlaskForm):
    status = SelectField("Change", choices=as_choices(ACTIONS), validators=[InputRequired()])
    reason = StringField(
        "Reason (for your records; the patient does not see it)",
        filters=[strip],
        validators=[Length(max=300), single_line],
    )


class PartsForm(FlaskForm):
    parts = CheckboxListField("Article parts to send", choices=[])

    def set_parts(self, parts) -> "PartsForm":
        self.parts.choices = as_choices([(p.slug, p.title) for p in parts])
        return self
