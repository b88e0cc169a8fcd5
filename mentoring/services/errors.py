"""Typed refusals of the matching screens' steps. Each carries its translated message for
the director, so a view shows ``str(error)`` and never an exception's bare text."""

from django.utils.translation import gettext_lazy as _


class MatchingError(Exception):
    """A matching, review or approval step refused; ``str()`` is the translated message."""

    message = _("This step cannot be done.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class RunStillWorking(MatchingError):
    message = _("This run is still being worked on; it can be restarted if it stops.")


class RematchPoolTooSmall(MatchingError):
    message = _("Fewer than two people are waiting for a new partner.")


class RunNotEditable(MatchingError):
    message = _("Only a run ready for review can be changed.")


class RunAlreadyApproved(MatchingError):
    message = _("This run is already approved.")


class ApprovalNotConfirmed(MatchingError):
    message = _("Tick the box to confirm the approval.")


class UnknownApplicant(MatchingError):
    message = _("Choose two different unmatched people.")


class NotUnmatched(MatchingError):
    message = _("Both people must be unmatched in this run.")


class SamePair(MatchingError):
    message = _("Choose two different pairs.")


class TriadNotSwappable(MatchingError):
    message = _("Triads cannot be swapped; unpair them instead.")


class UnknownAction(MatchingError):
    message = _("Unknown action.")
