"""Serializer fields shared by the CRM's serializers."""

from rest_framework import serializers

from crm.models import MAX_ID


class IdField(serializers.PrimaryKeyRelatedField):
    """A link to a record by its id: a whole number, as JSON or as digits.

    DRF's own field lets the database cast ``2227.5`` or ``true`` to an id.
    """

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "incorrect_type": "Incorrect type. Expected an id (a whole number), "
        "received {data_type}.",
    }

    def display_value(self, instance):
        """How a form lists a choice: by name, or by id alone for a linked record
        the caller may not see (set up by VisibleLinksMixin)."""
        candidates = getattr(self, "hidden_candidates", ())
        if (
            isinstance(candidates, list)
            and instance.pk in candidates
            and not self.visible_queryset.filter(pk=instance.pk).exists()
        ):
            return f"#{instance.pk}"
        return super().display_value(instance)

    def to_internal_value(self, data):
        is_whole = (isinstance(data, int) and not isinstance(data, bool)) or (
            isinstance(data, str) and data.isdigit()
        )
        if not is_whole:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if int(data) > MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)
