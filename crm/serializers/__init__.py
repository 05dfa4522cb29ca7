"""API representations, one module per entity group; import them from here."""

from crm.serializers.accounts import AccountSerializer
from crm.serializers.activities import (
    CallSerializer,
    MeetingSerializer,
    NoteSerializer,
    TaskSerializer,
    TimelineEntrySerializer,
)
from crm.serializers.campaigns import CampaignSerializer
from crm.serializers.deals import (
    DealLineItemSerializer,
    DealSerializer,
    PipelineSerializer,
    StageSerializer,
)
from crm.serializers.people import (
    PERSON_FIELDS,
    ContactSerializer,
    LeadConversionSerializer,
    LeadConvertSerializer,
    LeadSerializer,
)
from crm.serializers.products import ProductSerializer
from crm.serializers.records import (
    RECORD_FIELDS,
    RECORD_READ_ONLY,
    BulkConflictSerializer,
    BulkErrorSerializer,
    DuplicateErrorSerializer,
    RecordSerializer,
    RelatedRecordSerializer,
    UserSummarySerializer,
    VisibleLinksMixin,
)
from crm.serializers.tags import TagSerializer
from crm.serializers.tickets import TicketSerializer

__all__ = [
    "PERSON_FIELDS",
    "RECORD_FIELDS",
    "RECORD_READ_ONLY",
    "AccountSerializer",
    "BulkConflictSerializer",
    "BulkErrorSerializer",
    "CallSerializer",
    "CampaignSerializer",
    "ContactSerializer",
    "DealLineItemSerializer",
    "DealSerializer",
    "DuplicateErrorSerializer",
    "LeadConversionSerializer",
    "LeadConvertSerializer",
    "LeadSerializer",
    "MeetingSerializer",
    "NoteSerializer",
    "PipelineSerializer",
    "ProductSerializer",
    "RecordSerializer",
    "RelatedRecordSerializer",
    "StageSerializer",
    "TagSerializer",
    "TaskSerializer",
    "TicketSerializer",
    "TimelineEntrySerializer",
    "UserSummarySerializer",
    "VisibleLinksMixin",
]
