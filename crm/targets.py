"""The targets (quotas) API: serializer, filters and viewset."""

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from crm.models import Target, User, visible_users
from crm.periods import is_period_start, period_label
from crm.serializers.fields import IdField
from crm.views.records import AtomicWritesMixin, VisibleRecordsMixin

PERIOD_START_MESSAGE = {
    Target.PeriodKind.MONTH: "A month target starts on the first day of a month.",
    Target.PeriodKind.QUARTER: (
        "A quarter target starts on 1 January, 1 April, 1 July or 1 October."
    ),
}


class TargetSerializer(serializers.ModelSerializer):
    serializer_related_field = IdField

    user = IdField(
        queryset=User.objects.all(),
        help_text="The user the target is set for: the caller or one of their team.",
    )
    period_label = serializers.SerializerMethodField(
        help_text="The period as `2017-03` (month) or `2017-Q1` (quarter)."
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)

    class Meta:
        model = Target
        fields = (
            "id",
            "user",
            "period_kind",
            "period_start",
            "period_label",
            "amount",
            "created_at",
            "modified_at",
        )
        read_only_fields = ("created_at", "modified_at")

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Targets are set for the users whose records the caller sees; any
            # other user is refused as if they did not exist.
            fields["user"].queryset = visible_users(request.user)
        return fields

    def get_period_label(self, target) -> str:
        return period_label(target.period_start, target.period_kind)

    def validate(self, attrs):
        kind = attrs.get("period_kind", getattr(self.instance, "period_kind", None))
        start = attrs.get("period_start", getattr(self.instance, "period_start", None))
        if kind is not None and start is not None and not is_period_start(start, kind):
            raise serializers.ValidationError(
                {"period_start": [PERIOD_START_MESSAGE[kind]]}
            )
        return attrs


class TargetFilter(filters.FilterSet):
    class Meta:
        model = Target
        fields = {
            "user": ["exact", "in"],
            "period_kind": ["exact"],
            "period_start": ["exact", "gte", "lte"],
        }


class TargetViewSet(AtomicWritesMixin, VisibleRecordsMixin, viewsets.ModelViewSet):
    """Sales targets per user and month or quarter, which the forecast measures.

    A user sees their own targets and their team's, and sets targets for those
    users only; a user who sees every record sees every target.
    """

    scope_module = "targets"
    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    ordering_fields = ("period_start", "amount", "user", "created_at", "id")
