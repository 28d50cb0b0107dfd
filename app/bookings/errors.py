"""What can go wrong with a booking, each with a message fit to show the person who asked."""


class BookingError(Exception):
    """A change the booking rules do not allow; `str(error)` says why, in plain words."""


class SlotUnavailable(BookingError):
    """The time is not (or no longer) one of the free slots."""

    def __init__(self, message: str = "Sorry, that time is no longer free. Please choose "
                 "another.") -> None:
        super().__init__(message)


class BookingConflict(BookingError):
    """Confirming or moving would overlap an appointment that is already confirmed."""

    def __init__(self, message: str = "That time overlaps an appointment that is already "
                 "confirmed, so it cannot be confirmed too.") -> None:
        super().__init__(message)


class TooLateToChange(BookingError):
    """The patient is inside the minimum notice: they must call the clinic instead."""


class NotAllowedNow(BookingError):
    """The appointment's status does not allow this (for example it was already cancelled)."""
