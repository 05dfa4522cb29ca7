"""Database rules that hold whatever writes the rows."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from crm import models
from tests.factories import (
    DealFactory,
    LeadFactory,
    MeetingFactory,
    NoteFactory,
    TagFactory,
    TaskFactory,
)


def test_models_import_from_the_package():
    from crm.models import Account, Deal, Lead, Ticket  # noqa: F401

    assert models.Deal._meta.db_table == "crm_deal"


def test_task_related_to_two_records_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError):
        TaskFactory(deal=DealFactory(), lead=LeadFactory())


def test_task_related_to_no_record_is_allowed(db):
    TaskFactory()

    assert models.Task.objects.filter(lead=None, deal=None, ticket=None).exists()


def test_note_related_to_no_record_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError):
        models.Note.objects.create(owner=LeadFactory().owner, body="Orphan")


def test_note_related_to_two_records_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError):
        NoteFactory(deal=DealFactory(), lead=LeadFactory())


def test_meeting_ending_before_it_starts_is_refused_by_the_database(db):
    start = timezone.now()

    with pytest.raises(IntegrityError):
        MeetingFactory(start=start, end=start - datetime.timedelta(minutes=1))


def test_tag_names_are_unique_ignoring_case(db):
    TagFactory(name="VIP")

    with pytest.raises(IntegrityError):
        TagFactory(name="vip")


def test_deleting_a_lead_deletes_its_tasks(db):
    task = TaskFactory(lead=LeadFactory())

    task.lead.delete()

    assert not models.Task.objects.exists()
