"""The form fields that ask the clinical questions, shared by the enquiry and the check-in."""

from wtforms import RadioField, ValidationError

from app.validators import UNKNOWN_OPTION, CheckboxListField

from . import choices
from .screening import RED_FLAGS

NONE_OF_THESE = "none"
# Built once, not for every form a request makes.
RED_FLAG_CHOICES = choices.as_choices(
    [(flag.code, flag.question) for flag in RED_FLAGS]
    + [(NONE_OF_THESE, "None of these apply to me")]
)


class OptionsField(RadioField):
    """One answer from a list; `record_as` turns the chosen code into what the record keeps."""

    def __init__(self, *args, record_as=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.record_as = record_as

    @property
    def record_value(self):
        return self.record_as(self.data) if self.record_as else self.data

    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(UNKNOWN_OPTION) from None


class RedFlagsField(CheckboxListField):
    """The red-flag screen, shared by the enquiry and the check-in: the person ticks the
    symptoms that apply, or says that none do; an unanswered screen is not a clear one."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, choices=RED_FLAG_CHOICES, **kwargs)

    def post_validate(self, form, validation_stopped: bool) -> None:
        if validation_stopped or self.errors:
            return
        answers = set(self.data or [])
        if not answers:
            self.errors.append("Tick any that apply, or tick 'None of these apply to me'.")
        elif NONE_OF_THESE in answers and len(answers) > 1:
            self.errors.append(
                "You ticked 'None of these apply to me' and a symptom. Please check your answers."
            )

    @property
    def codes(self) -> list[str]:
        return [code for code in self.data or [] if code != NONE_OF_THESE]

    @property
    def record_value(self) -> list[str]:
        return self.codes
