from rest_framework import serializers

from crm.models import Tag

DUPLICATE_TAG_MESSAGE = "A tag with this name already exists."


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ("id", "name", "colour")

    def validate_name(self, name):
        name = name.strip()
        others = Tag.objects.filter(name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(DUPLICATE_TAG_MESSAGE)
        return name
