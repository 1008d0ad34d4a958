"""The models of 公众参与, one module per part (catalogue, consultation, engagement, events)."""

from .catalogue import CatalogueChange, DecisionCatalogue, DecisionItem, DecisionStep
from .consultation import AdoptionReport, Comment, ConcentratedOpinion, Consultation, InvitedParty
from .engagement import Answer, Proposal, ProposalVote, Question, Response, Solicitation, Survey
from .events import Attendance, Event, EventMaterial, Registration

__all__ = [
    "AdoptionReport",
    "Answer",
    "Attendance",
    "CatalogueChange",
    "Comment",
    "ConcentratedOpinion",
    "Consultation",
    "DecisionCatalogue",
    "DecisionItem",
    "DecisionStep",
    "Event",
    "EventMaterial",
    "InvitedParty",
    "Proposal",
    "ProposalVote",
    "Question",
    "Registration",
    "Response",
    "Solicitation",
    "Survey",
]
