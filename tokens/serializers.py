from rest_framework import serializers

from tokens.models import AuthToken


class TokenInfoSerializer(serializers.ModelSerializer):
    """What a token is. Never its secret nor its hash."""

    id = serializers.CharField(source="public_id", read_only=True)
    application = serializers.CharField(source="application.name", read_only=True)
    display = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=AuthToken.Status.choices, read_only=True)
    scopes = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = AuthToken
        fields = (
            "id",
            "name",
            "application",
            "display",
            "scopes",
            "status",
            "created_at",
            "expires_at",
            "last_used_at",
        )
        read_only_fields = fields
