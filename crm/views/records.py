"""What every CRM module's endpoints share: scopes, bulk create, duplicate
checks, related lists and the timeline."""

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from crm import selectors
from crm.schema import RecordSchema
from crm.serializers import TimelineEntrySerializer
from tokens.scopes import METHOD_ACTIONS, scope_name

RECORD_ORDERING = ("created_at", "modified_at", "id")
BULK_MAX = 100
# Modules whose records make up a timeline; reading it needs each one's scope.
TIMELINE_MODULES = ("notes", "tasks", "calls", "meetings")

DUPLICATE_MESSAGE = "A {model} with this {field} already exists."
DUPLICATE_IN_BULK_MESSAGE = "A {model} with this {field} already exists: id {pk}."
# When every record holding the value is one the caller may not see: the value is
# still taken, but the answer names no record.
DUPLICATE_HIDDEN_MESSAGE = (
    "A {model} with this {field} already exists among records you cannot see."
)
REPEATED_IN_BULK_MESSAGE = "Repeats the {field} of the record at position {position}."


class DuplicateRecord(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "duplicate"
    default_detail = "A record with this value already exists."

    def __init__(self, detail=None, *, extra_fields):
        super().__init__(detail)
        self.extra_fields = extra_fields


def duplicate_error(*, model, field, existing):
    """The 409 for a value that record ``existing`` of ``model`` already holds;
    ``existing`` None means the caller may see none of the records holding it."""
    names = {"model": model._meta.verbose_name, "field": field}
    if existing is None:
        return DuplicateRecord(
            DUPLICATE_HIDDEN_MESSAGE.format(**names), extra_fields={}
        )
    return DuplicateRecord(
        DUPLICATE_MESSAGE.format(**names), extra_fields={"existing_id": existing}
    )


class BulkConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = (
        "Records in this list conflict with each other or with stored records; "
        "nothing was saved."
    )


class AtomicWritesMixin:
    """Runs each writing request in one transaction: a request that fails part
    way (say, after the row but before its tags) leaves nothing behind. DRF's
    error handling marks the transaction for rollback."""

    def dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)


class VisibleRecordsMixin:
    """Narrows the view's queryset to the rows the caller may see; any other row
    answers 404 and is left out of lists, counts and search."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class RecordViewSet(AtomicWritesMixin, VisibleRecordsMixin, viewsets.ModelViewSet):
    """CRUD for one CRM module. Owner and creator are the caller, set on create.

    Every route covers only the records the caller may see (see
    ``crm.models.visibility``); any other record answers 404.

    ``listed_modules`` names the modules a route lists besides its own; their
    read scopes are required too. ``duplicate_field``, when set, refuses a second
    record with the same value (ignoring case) unless ``?allow_duplicate=true``.
    """

    scope_module = None
    scope_action = None
    listed_modules = ()
    duplicate_field = None
    # Fields unique ignoring case: a bulk list repeating one answers 400.
    unique_fields = ()
    filterset_class = None
    search_fields = ()
    ordering_fields = RECORD_ORDERING
    schema = RecordSchema()

    def get_required_scopes(self, method):
        if self.scope_module is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set scope_module.")
        action_name = self.scope_action or METHOD_ACTIONS.get(method.upper())
        if action_name is None:
            return None
        return [
            scope_name(self.scope_module, action_name),
            *(scope_name(module, "read") for module in self.listed_modules),
        ]

    def perform_create(self, serializer):
        self.check_duplicate(serializer)
        serializer.save(owner=self.request.user, created_by=self.request.user)

    def perform_update(self, serializer):
        self.check_duplicate(serializer)
        serializer.save()

    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def bulk(self, request):
        """Create up to 100 records from a list: all of them, or none.

        Errors are keyed by the record's position in the list, then by field.
        """
        serializer = self.get_serializer(
            data=request.data, many=True, allow_empty=False, max_length=BULK_MAX
        )
        if not serializer.is_valid():
            raise ValidationError(errors_by_position(serializer.errors))
        self.check_bulk_repeats(serializer.validated_data)
        self.check_bulk_duplicates(serializer.validated_data)

        try:
            with transaction.atomic():
                serializer.save(owner=request.user, created_by=request.user)
        except IntegrityError as exc:
            raise BulkConflict() from exc
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def get_listing_record(self):
        """The record whose related list is asked for; 404 when there is none.

        Uses the module's own queryset even where a route lists another module.
        """
        queryset = (
            type(self).queryset.prefetch_related(None).visible_to(self.request.user)
        )
        record = get_object_or_404(queryset, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def allows_duplicates(self):
        value = self.request.query_params.get("allow_duplicate")
        if value is None:
            return False
        try:
            return serializers.BooleanField().to_internal_value(value)
        except ValidationError as exc:
            raise ValidationError({"allow_duplicate": exc.detail}) from exc

    def find_duplicates(self, items, instance=None):
        """``{position: existing pk}`` for the items repeating a stored value; the
        pk is None where the caller may see none of the records holding it."""
        field = self.duplicate_field
        values = {}
        for position, attrs in enumerate(items):
            value = (attrs.get(field) or "").lower()
            unchanged = (
                instance is not None and value == getattr(instance, field).lower()
            )
            if value and not unchanged:
                values[position] = value
        existing = selectors.record_find_by_value(
            model=self.get_queryset().model,
            field=field,
            values=values.values(),
            user=self.request.user,
            exclude_pk=getattr(instance, "pk", None),
        )
        return {
            position: existing[value]
            for position, value in values.items()
            if value in existing
        }

    def check_duplicate(self, serializer):
        if not self.duplicate_field or self.allows_duplicates():
            return
        duplicates = self.find_duplicates(
            [serializer.validated_data], serializer.instance
        )
        if duplicates:
            raise duplicate_error(
                model=self.get_queryset().model,
                field=self.duplicate_field,
                existing=duplicates[0],
            )

    def check_bulk_repeats(self, items):
        """400, keyed by position, for a list that repeats a value (ignoring case)
        of a field that must be unique, or of the duplicate-checked field."""
        fields = list(self.unique_fields)
        if self.duplicate_field and not self.allows_duplicates():
            fields.append(self.duplicate_field)
        repeats = {}
        for field in fields:
            first_positions = {}
            for position, attrs in enumerate(items):
                value = str(attrs.get(field) or "").lower()
                if value and value in first_positions:
                    message = REPEATED_IN_BULK_MESSAGE.format(
                        field=field, position=first_positions[value]
                    )
                    repeats.setdefault(str(position), {})[field] = [message]
                elif value:
                    first_positions[value] = position
        if repeats:
            raise ValidationError(repeats)

    def check_bulk_duplicates(self, items):
        if not self.duplicate_field or self.allows_duplicates():
            return
        field = self.duplicate_field

        duplicates = self.find_duplicates(items)
        if duplicates:
            raise DuplicateRecord(
                self.duplicate_message(DUPLICATE_MESSAGE),
                extra_fields={
                    "errors": {
                        str(position): {field: [self.bulk_duplicate_message(pk)]}
                        for position, pk in duplicates.items()
                    },
                    "existing_ids": {
                        str(position): pk
                        for position, pk in duplicates.items()
                        if pk is not None
                    },
                },
            )

    def bulk_duplicate_message(self, pk):
        if pk is None:
            return self.duplicate_message(DUPLICATE_HIDDEN_MESSAGE)
        return self.duplicate_message(DUPLICATE_IN_BULK_MESSAGE, pk)

    def duplicate_message(self, template, pk=None):
        model = self.get_queryset().model._meta.verbose_name
        return template.format(model=model, field=self.duplicate_field, pk=pk)


def errors_by_position(errors):
    """A list serializer's errors as ``{"<position>": {field: [...]}}``.

    Errors about the list itself (not a list, empty, too long) pass unchanged.
    """
    if isinstance(errors, dict):
        return errors
    return {str(position): error for position, error in enumerate(errors) if error}


def related_list(target, *, lookup, name):
    """A detail route ``<name>/`` listing ``target``'s records whose ``lookup`` is
    this record, with ``target``'s serializer, filters, search and ordering.

    It needs ``target``'s read scope as well as this module's.
    """

    def listing(self, request, *args, **kwargs):
        record = self.get_listing_record()
        queryset = self.filter_queryset(self.get_queryset().filter(**{lookup: record}))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    listing.__name__ = name
    listing.__doc__ = f"The {target.scope_module} of this record, paginated."
    route = action(
        detail=True,
        methods=["get"],
        queryset=target.queryset,
        serializer_class=target.serializer_class,
        filterset_class=target.filterset_class,
        search_fields=target.search_fields,
        ordering_fields=target.ordering_fields,
        listed_modules=(target.scope_module,),
    )(listing)
    return extend_schema(responses=target.serializer_class(many=True))(route)


class TimelineMixin:
    """Adds ``timeline/``: the record's notes and activities, newest first."""

    @extend_schema(responses=TimelineEntrySerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        serializer_class=TimelineEntrySerializer,
        filter_backends=[],
        listed_modules=TIMELINE_MODULES,
    )
    def timeline(self, request, *args, **kwargs):
        """Notes, tasks, calls and meetings about this record that the caller may
        see, newest first."""
        record = self.get_listing_record()
        rows = selectors.record_timeline(record=record, user=request.user)
        page = self.paginate_queryset(rows)
        entries = selectors.timeline_entries_load(page)
        return self.get_paginated_response(self.get_serializer(entries, many=True).data)
