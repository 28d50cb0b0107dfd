"""Enrolling patients, their check-ins, and pausing, resuming or stopping the emails.

A programme starts only for an address shown to be the person's: they pressed the link in
their acknowledgement (app.programme.confirmation), or the osteopath checked it with them
(`enrol`).

Functions ending in `_in_transaction` add to the caller's transaction (the enquiry intake
pauses a running programme in the same one that saves a red-flag enquiry); the rest commit
their own.
"""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.content.service import all_parts
from app.extensions import db
from app.models import URGENCY_NONE, Enquiry
from app.models.programme import ACTIVE, PAUSED, STOPPED, UNSUBSCRIBED, CheckIn, Enrolment
from app.timeutil import utcnow

from . import emails
from .advice import STOP, CheckinAnswers, advise
from .relevance import PartRule, choose_parts

# Which status each change may start from. A stop is final: only a pause can be resumed.
ALLOWED_FROM = {ACTIVE: (PAUSED,), PAUSED: (ACTIVE,), STOPPED: (ACTIVE, PAUSED)}
ALLOWED_MESSAGES = {
    ACTIVE: "Only a paused programme can be resumed.",
    PAUSED: "Only a running programme can be paused.",
    STOPPED: "This programme has already ended.",
}


class ProgrammeError(Exception):
    """A change the programme's rules do not allow; the message says why, in plain words."""


class AlreadyAnswered(ProgrammeError):
    pass


NOT_CONFIRMED = (
    "The patient has not confirmed their email address. Enrol them only once you have checked "
    "the address with them, and tick the box to say so."
)


def why_not_eligible(enquiry: Enquiry) -> str | None:
    if enquiry.is_urgent:
        return "The enquiry reported a red-flag symptom, so no self-help programme is sent."
    if not enquiry.consent_followup:
        return "The patient did not agree to follow-up emails."
    return None


def _same_address(enquiry: Enquiry):
    return func.lower(Enquiry.email) == enquiry.email.lower()


def later_red_flag(enquiry: Enquiry) -> bool:
    """Whether a later enquiry from the same address reported a red-flag symptom."""
    return db.session.execute(
        select(Enquiry.id)
        .where(_same_address(enquiry), Enquiry.id > enquiry.id, Enquiry.urgency != URGENCY_NONE)
        .limit(1)
    ).first() is not None


def enrol_in_transaction(enquiry: Enquiry, now: datetime | None = None) -> Enrolment:
    reason = why_not_eligible(enquiry)
    if reason:
        raise ProgrammeError(reason)
    existing = enrolment_for(enquiry.id)
    if existing is not None:
        return existing
    return start_in_transaction(enquiry, now)


def start_in_transaction(enquiry: Enquiry, now: datetime | None = None) -> Enrolment:
    """Enrol an enquiry the caller has found eligible and not yet enrolled: one flush writes
    the enrolment (its emails' keys need its id), the next all its emails."""
    rules = [
        PartRule(p.slug, p.title, tuple(p.triggers), tuple(p.problems), p.is_default)
        for p in all_parts()
    ]
    choices = choose_parts(rules, enquiry.problem, enquiry.triggers)
    enrolment = Enrolment(
        enquiry=enquiry,
        enrolled_at=now or utcnow(),
        pain_at_enrolment=enquiry.pain_score,
        parts=[choice.slug for choice in choices],
        part_reasons=[choice.reason for choice in choices],
        status=ACTIVE,
    )
    db.session.add(enrolment)
    db.session.flush()
    emails.schedule_programme(enrolment)
    return enrolment


def pause_after_red_flag_in_transaction(enquiry: Enquiry, now: datetime) -> list[Enrolment]:
    """A later enquiry from the same address reported a red flag: the self-help emails stop
    until the osteopath has been in touch and resumes them."""
    running = db.session.execute(
        select(Enrolment)
        .join(Enquiry, Enquiry.id == Enrolment.enquiry_id)
        .where(
            Enrolment.status == ACTIVE,
            _same_address(enquiry),
            Enquiry.id != enquiry.id,
        )
    ).scalars().all()
    for enrolment in running:
        emails.cancel_remaining(enrolment)
        _set_status(enrolment, PAUSED, "a later enquiry reported a red-flag symptom", now)
    return list(running)


def enrol(enquiry: Enquiry, now: datetime | None = None,
          address_checked: bool = False) -> Enrolment:
    """The desk's enrolment. An address the patient has not confirmed is enrolled only when
    the osteopath says they have checked it with them, which records it as confirmed."""
    now = now or utcnow()

    def step() -> Enrolment:
        reason = why_not_eligible(enquiry)
        if reason:
            raise ProgrammeError(reason)
        if enquiry.email_confirmed_at is None:
            if not address_checked:
                raise ProgrammeError(NOT_CONFIRMED)
            enquiry.email_confirmed_at = now
        return enrol_in_transaction(enquiry, now)

    return _committed(step)


def enrolment_for(enquiry_id: int) -> Enrolment | None:
    return db.session.execute(
        select(Enrolment).where(Enrolment.enquiry_id == enquiry_id)
    ).scalar_one_or_none()


def choose_parts_by_hand(enrolment: Enrolment, slugs: list[str], editor: str) -> None:
    """The osteopath's choice replaces the rules'; emails not yet sent use it."""
    if not slugs:
        raise ProgrammeError("Choose at least one part of the series.")
    enrolment.parts = list(slugs)
    enrolment.part_reasons = [f"chosen by {editor}"]
    enrolment.parts_chosen_by = editor
    db.session.commit()


def change_status(enrolment: Enrolment, status: str, reason: str, now=None) -> None:
    """Pause, resume or stop; a patient's unsubscribe is final and only they can undo it."""
    now = now or utcnow()
    if enrolment.status == UNSUBSCRIBED:
        raise ProgrammeError("The patient unsubscribed; only they can sign up again.")
    if enrolment.status not in ALLOWED_FROM.get(status, ()):
        raise ProgrammeError(ALLOWED_MESSAGES[status])
    if status == ACTIVE:
        emails.revive(enrolment, now)
    else:
        emails.cancel_remaining(enrolment)
    _set_status(enrolment, status, reason, now)
    db.session.commit()


def unsubscribe(enrolment: Enrolment, now=None) -> None:
    """Stop every email still to come, at once. Repeating it changes nothing."""
    if enrolment.status == UNSUBSCRIBED:
        return
    emails.cancel_remaining(enrolment)
    _set_status(enrolment, UNSUBSCRIBED, "the patient unsubscribed", now or utcnow())
    db.session.commit()


def find_checkin(enrolment_id: int, week: int) -> CheckIn | None:
    return db.session.execute(
        select(CheckIn).where(CheckIn.enrolment_id == enrolment_id, CheckIn.week == week)
    ).scalar_one_or_none()


def record_checkin(enrolment: Enrolment, answers: CheckinAnswers, band: str, notes: str,
                   now=None) -> CheckIn:
    """Save the answers with their advice. Worse pain or a red flag pauses the programme and
    alerts the osteopath, in the same transaction. A week already answered is refused by the
    database's unique (enrolment, week) index, so the usual answer reads nothing first."""
    now = now or utcnow()
    if enrolment.status != ACTIVE:
        raise ProgrammeError("This programme is not running at the moment.")
    advice = advise(answers, enrolment.pain_at_enrolment)
    checkin = CheckIn(
        enrolment=enrolment,
        week=answers.week,
        answered_at=now,
        sessions_per_week=answers.sessions_per_week,
        sets=answers.sets,
        repetitions=answers.repetitions,
        effort=answers.effort,
        knees_very_wide=answers.knees_very_wide,
        weaker_side=answers.weaker_side,
        band=band,
        pain_score=answers.pain_score,
        red_flags=list(answers.red_flags),
        advice=[item.code for item in advice],
        notes=notes,
    )

    def saved() -> CheckIn:
        db.session.add(checkin)
        if advice[0].code == STOP:
            emails.cancel_remaining(enrolment)
            _set_status(enrolment, PAUSED, f"week-{answers.week} check-in needs review", now)
            db.session.flush()
            emails.enqueue_alert(checkin)
        db.session.flush()
        # The page that thanks the patient shows these answers: kept loaded past the commit,
        # which would expire them, they cost no second transaction to read back.
        db.session.expunge(checkin)
        return checkin

    try:
        return _committed(saved)
    except IntegrityError:
        raise AlreadyAnswered("This check-in has already been answered.") from None


def _set_status(enrolment: Enrolment, status: str, reason: str, now: datetime) -> None:
    enrolment.status = status
    enrolment.status_reason = reason[:300]
    enrolment.status_changed_at = now


def _committed(step):
    try:
        result = step()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result
