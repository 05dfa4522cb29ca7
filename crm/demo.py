"""A small deterministic demo data set, for machines without the sample export."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm.models import Account, Contact, Deal, Lead, LeadSource, Pipeline, User

SEED = 20261204
FIRST_NAMES = [
    "Ada",
    "Bruno",
    "Chiara",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemal",
    "Lena",
    "Marta",
    "Nils",
    "Olga",
    "Pavel",
]
LAST_NAMES = [
    "Almeida",
    "Berg",
    "Costa",
    "Dahl",
    "Engel",
    "Fischer",
    "Garcia",
    "Horvat",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Novak",
    "Ortiz",
    "Petrov",
]
COMPANY_WORDS = [
    "Alpine",
    "Harbor",
    "Copper",
    "Summit",
    "Maple",
    "Orbit",
    "Granite",
    "Beacon",
    "Cedar",
    "Falcon",
    "Juniper",
    "Nimbus",
]
COMPANY_SUFFIXES = [
    "Foods",
    "Logistics",
    "Labs",
    "Health",
    "Energy",
    "Media",
    "Systems",
]
INDUSTRIES = [
    "Technology",
    "Manufacturing",
    "Consulting",
    "Financial Services",
    "Education",
]


@transaction.atomic
def load_demo_data():
    """Create the demo records unless some are already there; return True if created."""
    models = (Account, Contact, Lead, Deal)
    if any(
        model.objects.filter(external_id__startswith="demo:").exists()
        for model in models
    ):
        return False

    rng = random.Random(SEED)
    now = timezone.now()
    manager = _user("demo-manager", "Mara", "Lindqvist")
    reps = [
        _user(f"demo-rep{n}", rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), manager)
        for n in (1, 2)
    ]
    pipeline = Pipeline.get_default()
    stages = list(pipeline.stages.order_by("order"))
    sources = [choice for choice, _ in LeadSource.choices]

    accounts = []
    for n in range(20):
        owner = rng.choice(reps)
        accounts.append(
            Account.objects.create(
                name=f"{_company_name(rng)} {n + 1}",
                account_type=rng.choice([Account.Type.PROSPECT, Account.Type.CUSTOMER]),
                industry=rng.choice(INDUSTRIES),
                website=f"www.example-{n + 1}.com",
                owner=owner,
                created_by=owner,
                external_id=f"demo:account:{n + 1}",
                created_at=now - timedelta(days=rng.randint(30, 400)),
            )
        )
    contacts = []
    for n in range(40):
        account = rng.choice(accounts)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        contacts.append(
            Contact.objects.create(
                first_name=first,
                last_name=last,
                account=account,
                email=f"{first}.{last}.{n + 1}@example.com".lower(),
                lead_source=rng.choice(sources),
                owner=account.owner,
                created_by=account.owner,
                external_id=f"demo:contact:{n + 1}",
            )
        )
    for n in range(60):
        owner = rng.choice(reps)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        Lead.objects.create(
            first_name=first,
            last_name=last,
            company=_company_name(rng),
            email=f"{first}.{last}.lead{n + 1}@example.org".lower(),
            industry=rng.choice(INDUSTRIES),
            lead_source=rng.choice(sources),
            status=rng.choice(Lead.Status.values),
            owner=owner,
            created_by=owner,
            external_id=f"demo:lead:{n + 1}",
            created_at=now - timedelta(days=rng.randint(0, 120)),
        )
    for n in range(30):
        contact = rng.choice(contacts)
        stage = rng.choice(stages)
        Deal.objects.create(
            name=f"{contact.account.name} — deal {n + 1}",
            account=contact.account,
            contact=contact,
            pipeline=pipeline,
            stage=stage,
            probability=stage.probability,
            amount=Decimal(rng.randint(20, 800) * 100),
            closing_date=(now + timedelta(days=rng.randint(-90, 180))).date(),
            owner=contact.owner,
            created_by=contact.owner,
            external_id=f"demo:deal:{n + 1}",
        )
    return True


def _company_name(rng):
    return f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)}"


def _user(username, first_name, last_name, manager=None):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "manager": manager},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
