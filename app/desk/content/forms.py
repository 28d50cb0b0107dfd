"""The osteopath's forms for the article parts and the programme text."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
    ValidationError,
)
from wtforms.validators import URL, InputRequired, Length, Optional

from app.clinical.choices import PROBLEMS, TRIGGERS, as_choices
from app.validators import CheckboxListField, plain_text, single_line, strip

LONG_TEXT = 5000


def _text(label: str, required: bool = True, limit: int = LONG_TEXT) -> TextAreaField:
    validators = [Length(max=limit), plain_text]
    if required:
        validators.insert(0, InputRequired(f"{label} cannot be empty."))
    return TextAreaField(label, filters=[strip], validators=validators)


class PreviewOrSave(FlaskForm):
    preview = SubmitField("Preview the email")
    save = SubmitField("Save")


class ProgrammeForm(PreviewOrSave):
    title = StringField(
        "Title", filters=[strip],
        validators=[InputRequired("The title cannot be empty."), Length(max=200), single_line],
    )
    introduction = _text("Introduction")
    steps = _text("Steps, one to a line")
    evenness = _text("Working both sides evenly")
    dose = _text("How much", limit=500)
    progression = _text("Moving on")
    equipment = _text("Equipment")
    gym_alternatives = _text("For gym-goers")

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in (self.steps.data or "").splitlines() if line.strip()]


class PartForm(PreviewOrSave):
    title = StringField(
        "Title", filters=[strip],
        validators=[InputRequired("The title cannot be empty."), Length(max=200), single_line],
    )
    summary = _text("Summary")
    article_url = URLField(
        "Link to the article (optional)", filters=[strip],
        validators=[Optional(), Length(max=500), URL(message="Enter a full web address.")],
    )
    placeholder = BooleanField("This part still needs writing (shown as a placeholder)")
    triggers = CheckboxListField(
        "Relevant when the enquiry says it is brought on by", choices=as_choices(TRIGGERS)
    )
    problems = CheckboxListField(
        "Relevant for these problems", choices=as_choices(PROBLEMS)
    )

    def validate_article_url(self, field) -> None:
        # Only web links: a javascript: or data: address would run in the patient's mail.
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Enter a web address starting with https://.")
