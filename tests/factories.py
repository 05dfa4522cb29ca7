import factory
from django.contrib.auth.models import Permission

from crm.models import Account, Contact, Deal, Lead, Pipeline, User
from tokens.models import Application


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
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
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


class DealFactory(RecordFactory):
    class Meta:
        model = Deal

    name = factory.Faker("catch_phrase")
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
    pipeline = factory.LazyFunction(Pipeline.get_default)
    stage = factory.LazyAttribute(lambda deal: deal.pipeline.stages.order_by("order").first())
    amount = factory.Faker("pydecimal", left_digits=5, right_digits=2, positive=True)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Integration {n}")
