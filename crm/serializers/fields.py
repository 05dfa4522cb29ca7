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

    def to_internal_value(self, data):
        is_whole = (isinstance(data, int) and not isinstance(data, bool)) or (
            isinstance(data, str) and data.isdigit()
        )
        if not is_whole:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if int(data) > MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)
