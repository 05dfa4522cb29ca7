from django.db import migrations

DEFAULT_STAGES = [
    # name, probability, forecast category
    ("Prospect", 10, "pipeline"),
    ("Qualification", 20, "pipeline"),
    ("Needs Analysis", 30, "pipeline"),
    ("Initial Offer", 50, "best_case"),
    ("Proposal/Price Quote", 65, "best_case"),
    ("Negotiation/Review", 80, "commit"),
    ("Closed Won", 100, "closed_won"),
    ("Closed Lost", 0, "closed_lost"),
]


def create_default_pipeline(apps, schema_editor):
    Pipeline = apps.get_model("crm", "Pipeline")
    Stage = apps.get_model("crm", "Stage")
    if Pipeline.objects.filter(is_default=True).exists():
        return
    pipeline = Pipeline.objects.create(name="Sales", is_default=True)
    Stage.objects.bulk_create(
        Stage(
            pipeline=pipeline,
            name=name,
            order=order,
            probability=probability,
            forecast_category=category,
        )
        for order, (name, probability, category) in enumerate(DEFAULT_STAGES, start=1)
    )


def remove_default_pipeline(apps, schema_editor):
    Pipeline = apps.get_model("crm", "Pipeline")
    Pipeline.objects.filter(name="Sales", is_default=True, deals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [migrations.RunPython(create_default_pipeline, remove_default_pipeline)]
