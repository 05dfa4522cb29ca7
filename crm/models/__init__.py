"""The CRM's models, one module per entity group; import them from here."""

from crm.models.accounts import Account
from crm.models.deals import Deal, Pipeline, Stage
from crm.models.people import Contact, Lead
from crm.models.records import Address, LeadSource, Person, Record
from crm.models.users import User

__all__ = [
    "Account",
    "Address",
    "Contact",
    "Deal",
    "Lead",
    "LeadSource",
    "Person",
    "Pipeline",
    "Record",
    "Stage",
    "User",
]
