"""The check-in form and the unsubscribe confirmation."""

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.clinical.choices import PAIN_SCORES, as_choices
from app.clinical.fields import RedFlagsField
from app.validators import plain_text, single_line, strip

from .advice import CheckinAnswers


def _numbers(first: int, last: int) -> list:
    return as_choices([(str(n), str(n)) for n in range(first, last + 1)])


class CheckinForm(FlaskForm):
    sessions_per_week = RadioField(
        "On how many days a week have you done the exercise, on average?",
        choices=_numbers(0, 7),
        validators=[InputRequired("Choose how many days a week.")],
    )
    sets = RadioField(
        "How many sets do you do each time?",
        choices=_numbers(0, 5),
        validators=[InputRequired("Choose how many sets.")],
    )
    repetitions = RadioField(
        "How many repetitions in each set?",
        choices=as_choices(
            [("6", "Fewer than 8"), ("8", "8"), ("9", "9"), ("10", "10"), ("12", "More than 10")]
        ),
        validators=[InputRequired("Choose how many repetitions.")],
    )
    effort = RadioField(
        "How hard does it feel?",
        choices=as_choices(
            [("easy", "Easy"), ("about_right", "About right: hard work by the end"),
             ("hard", "Too hard, or I cannot finish the sets")]
        ),
        validators=[InputRequired("Tell us how hard it feels.")],
    )
    knees_very_wide = RadioField(
        "Are your knees going very wide apart?",
        choices=as_choices([("yes", "Yes"), ("no", "No")]),
        validators=[InputRequired("Tell us whether your knees go very wide.")],
    )
    weaker_side = RadioField(
        "Does one side feel weaker?",
        choices=as_choices(
            [("left", "My left side"), ("right", "My right side"), ("neither", "Neither")]
        ),
        validators=[InputRequired("Tell us whether one side feels weaker.")],
    )
    band = StringField(
        "Which band are you using? (optional)",
        filters=[strip],
        validators=[Length(max=80), single_line],
    )
    pain_score = RadioField(
        "How bad is your pain at its worst now, from 0 (none) to 10 (the worst imaginable)?",
        choices=as_choices(PAIN_SCORES),
        validators=[InputRequired("Choose a pain score from 0 to 10.")],
    )
    red_flags = RedFlagsField("Do any of these apply to you now?")
    notes = TextAreaField(
        "Anything else you would like the osteopath to know (optional)",
        filters=[strip],
        validators=[Length(max=1000), plain_text],
    )

    def answers(self, week: int) -> CheckinAnswers:
        return CheckinAnswers(
            week=week,
            sessions_per_week=int(self.sessions_per_week.data),
            sets=int(self.sets.data),
            repetitions=int(self.repetitions.data),
            effort=self.effort.data,
            knees_very_wide=self.knees_very_wide.data == "yes",
            weaker_side=self.weaker_side.data,
            pain_score=int(self.pain_score.data),
            red_flags=tuple(self.red_flags.codes),
        )


class UnsubscribeForm(FlaskForm):
    submit = SubmitField("Stop my programme emails")


class ConfirmAddressForm(FlaskForm):
    submit = SubmitField("Confirm and start my exercises")
