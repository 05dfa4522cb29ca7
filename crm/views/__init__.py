"""API endpoints, one module per entity group; import them from here."""

from crm.views.accounts import AccountViewSet
from crm.views.activities import CallViewSet, MeetingViewSet, NoteViewSet, TaskViewSet
from crm.views.campaigns import CampaignViewSet
from crm.views.deals import DealLineItemViewSet, DealViewSet, PipelineViewSet
from crm.views.people import ContactViewSet, LeadViewSet
from crm.views.products import ProductViewSet
from crm.views.records import RECORD_ORDERING, RecordViewSet
from crm.views.tags import TagViewSet
from crm.views.tickets import TicketViewSet

__all__ = [
    "RECORD_ORDERING",
    "AccountViewSet",
    "CallViewSet",
    "CampaignViewSet",
    "ContactViewSet",
    "DealLineItemViewSet",
    "DealViewSet",
    "LeadViewSet",
    "MeetingViewSet",
    "NoteViewSet",
    "PipelineViewSet",
    "ProductViewSet",
    "RecordViewSet",
    "TagViewSet",
    "TaskViewSet",
    "TicketViewSet",
]
