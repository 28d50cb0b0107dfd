"""The desk's forms: finding enquiries, replying, and marking where an enquiry stands."""

from flask_wtf import FlaskForm
from wtforms import (
    Form,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.clinical.choices import as_choices
from app.submission import KEY_PATTERN, new_submission_key
from app.validators import single_line, strip, text_field

from .service import SHOW_CHOICES, STATUS_CHOICES


class EnquirySearchForm(Form):
    """Read from the address bar, so a search can be bookmarked or sent back to."""

    q = SearchField(
        "Name or email",
        filters=[strip],
        validators=[Length(max=100, message="Search for at most 100 characters."), single_line],
    )
    show = SelectField("Show", choices=as_choices(SHOW_CHOICES), default="all")
    page = IntegerField(
        validators=[Optional(), NumberRange(min=1, max=100_000, message="No such page.")],
        default=1,
    )


class ReplyForm(FlaskForm):
    subject = text_field(
        "Subject",
        DataRequired("Write a subject."),
        Length(max=200, message="Keep the subject under 200 characters."),
    )
    message = text_field(
        "Message",
        DataRequired("Write your message."),
        Length(max=10_000, message="Keep the message under 10,000 characters."),
        many_lines=True,
    )
    # The same one-time key the public forms carry, so a reply sent twice is sent once.
    form_token = HiddenField(validators=[InputRequired(), Regexp(KEY_PATTERN)])

    def issue_token(self) -> None:
        self.form_token.data = new_submission_key()


class StatusForm(FlaskForm):
    status = SelectField("Mark this enquiry as", choices=as_choices(STATUS_CHOICES))
