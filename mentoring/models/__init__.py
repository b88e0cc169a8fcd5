"""The mentoring app's models, one module per domain; imported here so Django finds them."""

from mentoring.models.applications import Application, BarredEmail, InterestedPerson, Person
from mentoring.models.partnerships import CheckIn, Partnership, UnresponsiveReport
from mentoring.models.rounds import (
    Interest,
    PartnerOrganisation,
    Pathway,
    ProgramSettings,
    Round,
    RoundStatus,
)
from mentoring.models.runs import MatchRun, PairRule, ProposedPair, ProposedUnmatched

__all__ = [
    "Application",
    "BarredEmail",
    "CheckIn",
    "Interest",
    "InterestedPerson",
    "MatchRun",
    "PairRule",
    "PartnerOrganisation",
    "Partnership",
    "Pathway",
    "Person",
    "ProgramSettings",
    "ProposedPair",
    "ProposedUnmatched",
    "Round",
    "RoundStatus",
    "UnresponsiveReport",
]
