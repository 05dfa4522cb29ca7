from django.db import models
from rest_framework import serializers

from config.schema import ErrorSerializer
from crm.models import RELATED_RECORD_FIELDS
from crm.serializers.fields import IdField

RELATED_TO_MANY_MESSAGE = "Relate this to one record at most: {fields} are all set."
RELATED_TO_NONE_MESSAGE = "Relate this to one lead, contact, account, deal or ticket."


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)


RECORD_FIELDS = (
    "id",
    "owner",
    "created_by",
    "created_at",
    "modified_at",
    "external_id",
)
# The external id is set by imports only: writing it could claim an id a later
# import would overwrite, or reveal that a record one may not see holds it.
RECORD_READ_ONLY = ("owner", "created_by", "created_at", "modified_at", "external_id")


class VisibleLinksMixin:
    """Related fields accept only records the caller may see: any other id is
    refused as if no such record existed. A link the record already has stays
    acceptable, so that sending a record back unchanged always works.
    """

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        if user is None:
            return fields
        for name, field in fields.items():
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if queryset is not None and hasattr(queryset, "linkable_by"):
                linked = self._linked_pks(field, field.source or name)
                relation.queryset = queryset.linkable_by(user, linked=linked)
                # A form shows a linked record the caller may not see by id only.
                relation.hidden_candidates = linked
                relation.visible_queryset = queryset.visible_to(user)
        return fields

    def _linked_pks(self, field, source):
        if not isinstance(self.instance, models.Model):
            return ()
        if hasattr(field, "child_relation"):
            return getattr(self.instance, source).values("pk")
        return [self.instance.serializable_value(source)]


class RecordSerializer(VisibleLinksMixin, serializers.ModelSerializer):
    """Owner and creator are set by the server from the caller and cannot be written.

    Links to other records accept only records the caller may see.
    """

    serializer_related_field = IdField

    owner = UserSummarySerializer(read_only=True)
    created_by = UserSummarySerializer(read_only=True)

    class Meta:
        read_only_fields = RECORD_READ_ONLY

    def update(self, instance, validated_data):
        """Write only the fields the request sets: a column another request changed
        meanwhile (a lead's conversion, a deal's amount) keeps its new value."""
        many_to_many = {}
        changed = []
        for name, value in validated_data.items():
            if instance._meta.get_field(name).many_to_many:
                many_to_many[name] = value
            else:
                setattr(instance, name, value)
                changed.append(name)
        instance.save(update_fields=[*changed, "modified_at"])

        for name, value in many_to_many.items():
            getattr(instance, name).set(value)
        return instance


class RelatedRecordSerializer(RecordSerializer):
    """A note or activity about at most one lead, contact, account, deal or ticket.

    Moving it to another record means clearing the old field in the same request.
    """

    related_record_required = False

    def validate(self, attrs):
        attrs = super().validate(attrs)
        chosen = [
            field
            for field in RELATED_RECORD_FIELDS
            if (
                attrs[field]
                if field in attrs
                else getattr(self.instance, f"{field}_id", None)
            )
        ]
        if len(chosen) > 1:
            message = RELATED_TO_MANY_MESSAGE.format(fields=", ".join(chosen))
            raise serializers.ValidationError({"non_field_errors": [message]})
        if self.related_record_required and not chosen:
            raise serializers.ValidationError(
                {"non_field_errors": [RELATED_TO_NONE_MESSAGE]}
            )
        return attrs


class DuplicateErrorSerializer(ErrorSerializer):
    existing_id = serializers.IntegerField(
        required=False,
        help_text=(
            "The record that already has this value; absent when every such record "
            "is one the caller may not see."
        ),
    )


class BulkErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.DictField(),
        help_text=(
            "Messages keyed by the record's position in the list (from 0), then by "
            "field; a problem with the list itself is under `non_field_errors`."
        ),
    )


class BulkConflictSerializer(BulkErrorSerializer):
    existing_ids = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text=(
            "For duplicates: the existing record's id, keyed by position; positions "
            "whose existing records the caller may not see are left out."
        ),
    )
