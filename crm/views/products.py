from crm import filters, serializers
from crm.models import Product
from crm.views.records import RECORD_ORDERING, RecordViewSet


class ProductViewSet(RecordViewSet):
    scope_module = "products"
    unique_fields = ("code",)
    queryset = Product.objects.select_related("owner", "created_by")
    serializer_class = serializers.ProductSerializer
    filterset_class = filters.ProductFilter
    search_fields = ("name", "code", "category", "manufacturer")
    ordering_fields = (*RECORD_ORDERING, "name", "code", "unit_price", "category")
