from crm import filters, serializers
from crm.models import Call, Meeting, Note, Task
from crm.views.records import RECORD_ORDERING, RecordViewSet


class TaskViewSet(RecordViewSet):
    scope_module = "tasks"
    queryset = Task.objects.select_related("owner", "created_by")
    serializer_class = serializers.TaskSerializer
    filterset_class = filters.TaskFilter
    search_fields = ("subject", "description")
    ordering_fields = (*RECORD_ORDERING, "subject", "due_date", "status")


class CallViewSet(RecordViewSet):
    scope_module = "calls"
    queryset = Call.objects.select_related("owner", "created_by")
    serializer_class = serializers.CallSerializer
    filterset_class = filters.CallFilter
    search_fields = ("subject", "result", "description")
    ordering_fields = (*RECORD_ORDERING, "subject", "start", "duration")


class MeetingViewSet(RecordViewSet):
    scope_module = "meetings"
    queryset = Meeting.objects.select_related("owner", "created_by").prefetch_related(
        "participant_users", "participant_contacts"
    )
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter
    search_fields = ("subject", "location", "description")
    ordering_fields = (*RECORD_ORDERING, "subject", "start", "end")


class NoteViewSet(RecordViewSet):
    scope_module = "notes"
    queryset = Note.objects.select_related("owner", "created_by")
    serializer_class = serializers.NoteSerializer
    filterset_class = filters.NoteFilter
    search_fields = ("body",)
