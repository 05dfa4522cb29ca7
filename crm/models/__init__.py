"""The CRM's models, one module per entity group; import them from here."""

from crm.models.accounts import Account
from crm.models.activities import Activity, Call, Meeting, Task
from crm.models.campaigns import Campaign
from crm.models.deals import Deal, Pipeline, Stage
from crm.models.notes import Note
from crm.models.people import Contact, Lead
from crm.models.products import DealLineItem, Product
from crm.models.records import (
    MAX_ID,
    RELATED_RECORD_FIELDS,
    Address,
    LeadSource,
    Person,
    Priority,
    Record,
    RelatedRecord,
)
from crm.models.tags import Tag
from crm.models.targets import Target
from crm.models.tickets import Ticket
from crm.models.users import User
from crm.models.visibility import (
    VIEW_ALL_PERMISSION,
    sees_every_record,
    visible_users,
)

__all__ = [
    "MAX_ID",
    "RELATED_RECORD_FIELDS",
    "VIEW_ALL_PERMISSION",
    "Account",
    "Activity",
    "Address",
    "Call",
    "Campaign",
    "Contact",
    "Deal",
    "DealLineItem",
    "Lead",
    "LeadSource",
    "Meeting",
    "Note",
    "Person",
    "Pipeline",
    "Priority",
    "Product",
    "Record",
    "RelatedRecord",
    "Stage",
    "Tag",
    "Target",
    "Task",
    "Ticket",
    "User",
    "sees_every_record",
    "visible_users",
]
