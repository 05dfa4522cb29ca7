from rest_framework.pagination import PageNumberPagination


class CRMPagination(PageNumberPagination):
    """Numbered pages; callers choose ``page_size`` up to ``max_page_size``."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
