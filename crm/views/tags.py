from rest_framework import viewsets

from crm import filters, serializers
from crm.models import Tag
from crm.views.records import AtomicWritesMixin


class TagViewSet(AtomicWritesMixin, viewsets.ModelViewSet):
    scope_module = "tags"
    queryset = Tag.objects.all()
    serializer_class = serializers.TagSerializer
    filterset_class = filters.TagFilter
    search_fields = ("name",)
    ordering_fields = ("name", "id")
