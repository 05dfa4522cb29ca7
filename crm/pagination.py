from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_MESSAGE = "Enter a whole number from 1."
PAGE_SIZE_MESSAGE = "Enter a whole number from 1 to {maximum}."


class CRMPagination(PageNumberPagination):
    """Numbered pages; callers choose ``page_size`` up to ``max_page_size``.

    A page or page size that is not a positive whole number answers 400 naming
    the parameter; a page past the end answers 404.
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param)
        if page is not None and page not in self.last_page_strings:
            self._positive(page, self.page_query_param, PAGE_MESSAGE)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        size = request.query_params.get(self.page_size_query_param)
        if size is None:
            return self.page_size
        message = PAGE_SIZE_MESSAGE.format(maximum=self.max_page_size)
        return min(
            self._positive(size, self.page_size_query_param, message),
            self.max_page_size,
        )

    @staticmethod
    def _positive(value, parameter, message):
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            raise ValidationError({parameter: [message]})
        return number
