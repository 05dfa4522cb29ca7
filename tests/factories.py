import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone

from crm.models import (
    Account,
    Call,
    Campaign,
    Contact,
    Deal,
    DealLineItem,
    Lead,
    Meeting,
    Note,
    Pipeline,
    Product,
    Tag,
    Task,
    Ticket,
    User,
)
from tokens.models import Application
from tokens.scopes import ALL_SCOPES, permission_for

# Every permission a scope maps to: what a user who may do anything in the CRM holds.
ALL_CRM_PERMISSIONS = sorted({permission_for(scope) for scope in ALL_SCOPES})


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def permissions(user, create, extracted, **kwargs):
        """``permissions=["crm.view_lead", ...]`` grants those permissions."""
        if not create or not extracted:
            return
        for dotted in extracted:
            app_label, codename = dotted.split(".")
            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


class RecordFactory(factory.django.DjangoModelFactory):
    owner = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("owner")


class AccountFactory(RecordFactory):
    class Meta:
        model = Account

    name = factory.Faker("company")
    industry = "Technology"
    website = factory.Faker("domain_name")


class ContactFactory(RecordFactory):
    class Meta:
        model = Contact

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))


class LeadFactory(RecordFactory):
    class Meta:
        model = Lead

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"lead{n}@example.com")
    company = factory.Faker("company")
    status = Lead.Status.NOT_CONTACTED

    class Params:
        # ``LeadFactory(converted=True)``: a lead marked converted, linked to nothing.
        converted = factory.Trait(converted_at=factory.LazyFunction(timezone.now))


class DealFactory(RecordFactory):
    class Meta:
        model = Deal

    name = factory.Faker("catch_phrase")
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
    pipeline = factory.LazyFunction(Pipeline.get_default)
    stage = factory.LazyAttribute(
        lambda deal: deal.pipeline.stages.order_by("order").first()
    )
    amount = factory.Faker("pydecimal", left_digits=5, right_digits=2, positive=True)


class CampaignFactory(RecordFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    campaign_type = Campaign.Type.WEBINAR
    status = Campaign.Status.ACTIVE
    start_date = datetime.date(2026, 3, 1)
    end_date = datetime.date(2026, 3, 31)
    budgeted_cost = Decimal("1000.00")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")


class TicketFactory(RecordFactory):
    class Meta:
        model = Ticket

    subject = factory.Faker("sentence", nb_words=5)
    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..owner"))
    account = factory.SelfAttribute("contact.account")
    origin = Ticket.Origin.EMAIL


class TaskFactory(RecordFactory):
    class Meta:
        model = Task

    subject = factory.Faker("sentence", nb_words=4)
    due_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=7)
    )


class CallFactory(RecordFactory):
    class Meta:
        model = Call

    subject = factory.Faker("sentence", nb_words=4)
    direction = Call.Direction.OUTBOUND
    start = factory.LazyFunction(timezone.now)
    duration = 300


class MeetingFactory(RecordFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    subject = factory.Faker("sentence", nb_words=4)
    start = factory.LazyFunction(timezone.now)
    end = factory.LazyAttribute(
        lambda meeting: meeting.start + datetime.timedelta(hours=1)
    )

    @factory.post_generation
    def participant_users(meeting, create, extracted, **kwargs):
        if create and extracted:
            meeting.participant_users.set(extracted)

    @factory.post_generation
    def participant_contacts(meeting, create, extracted, **kwargs):
        if create and extracted:
            meeting.participant_contacts.set(extracted)


class NoteFactory(RecordFactory):
    """A note; pass the record it is about, e.g. ``NoteFactory(deal=deal)``."""

    class Meta:
        model = Note

    body = factory.Faker("paragraph")
    lead = factory.Maybe(
        factory.LazyAttribute(
            lambda note: not any((note.contact, note.account, note.deal, note.ticket))
        ),
        yes_declaration=factory.SubFactory(
            LeadFactory, owner=factory.SelfAttribute("..owner")
        ),
        no_declaration=None,
    )
    contact = None
    account = None
    deal = None
    ticket = None


class ProductFactory(RecordFactory):
    class Meta:
        model = Product

    name = factory.Faker("word")
    code = factory.Sequence(lambda n: f"P-{n:05d}")
    category = "Hardware"
    manufacturer = factory.Faker("company")
    unit_price = Decimal("100.00")
    cost = Decimal("60.00")


class DealLineItemFactory(factory.django.DjangoModelFactory):
    """A line item saved directly: the deal's amount is not recomputed."""

    class Meta:
        model = DealLineItem

    deal = factory.SubFactory(DealFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = Decimal("1")
    unit_price = factory.SelfAttribute("product.unit_price")
    discount_percent = Decimal("0")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Integration {n}")
