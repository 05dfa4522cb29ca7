"""Record visibility: which users' records a user may see, in one place.

A user sees the records they own and those of their team: everyone whose
``manager`` they are, and so on down the reporting chain. A user holding
``crm.view_all_records`` (superusers hold every permission) sees every record.
Products, campaigns, tags and pipelines are shared reference data that everyone
sees.

Every read of a record goes through ``visible_to(user)`` on its queryset, and
every link a write makes is checked against the same querysets.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL

VIEW_ALL_PERMISSION = "crm.view_all_records"


def sees_every_record(user):
    return user.has_perm(VIEW_ALL_PERMISSION)


def team_member_ids(user):
    """The ids of ``user`` and of everyone below them in the reporting chain.

    An expression the database evaluates inside the query that uses it, so it
    adds no query and always reflects the chain as it is at that moment. UNION
    (not UNION ALL) drops rows already found, so a cycle in the chain ends.
    """
    # The ORM has no recursive common table expression; this is the one raw query.
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    table = user_model._meta.db_table
    pk = user_model._meta.pk.column
    manager = user_model._meta.get_field("manager").column
    sql = (
        f"WITH RECURSIVE team(id) AS ("
        f"SELECT {pk} FROM {table} WHERE {pk} = %s "
        f"UNION SELECT member.{pk} FROM {table} member "
        f"JOIN team ON member.{manager} = team.id"
        f") SELECT id FROM team"
    )
    return RawSQL(sql, (user.pk,), output_field=models.BigIntegerField())


def visible_owner_condition(user, field):
    """A filter keeping rows whose ``field`` (a user) is one ``user`` may see."""
    if sees_every_record(user):
        return Q()
    return Q(**{f"{field}__in": team_member_ids(user)})


def visible_users(user):
    """The users whose records ``user`` sees: themselves and their team, or all."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return user_model.objects.filter(visible_owner_condition(user, "pk"))


class OwnedQuerySet(models.QuerySet):
    """Rows that belong to the user named by ``owner_field``."""

    owner_field = "owner"

    def visible_to(self, user):
        """The rows ``user`` may see."""
        return self.filter(visible_owner_condition(user, self.owner_field))

    def linkable_by(self, user, *, linked=()):
        """The rows ``user`` may link a record to: those they may see, and the ones
        already linked (pks, or a queryset of them), which stay acceptable."""
        visible = self.visible_to(user)
        if isinstance(linked, models.QuerySet) or any(pk is not None for pk in linked):
            return visible | self.filter(pk__in=linked)
        return visible


class SharedQuerySet(models.QuerySet):
    """Reference data: every user sees every row."""

    def visible_to(self, user):
        return self.all()

    def linkable_by(self, user, *, linked=()):
        return self.all()
