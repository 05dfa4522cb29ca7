"""The forecast API: deal amounts rolled up by period, owner and pipeline."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.models import MAX_ID, Deal, Target
from crm.selectors import forecast_rows
from tokens.scopes import scope_name

# The rows carry each owner's target, so reading them needs both scopes.
FORECAST_SCOPES = (scope_name("deals", "read"), scope_name("targets", "read"))
FROM_AFTER_TO_MESSAGE = "Must be on or after `from`."
NOT_AN_ID_MESSAGE = "{value!r} is not a user id."

MONEY = {"max_digits": 18, "decimal_places": 2}


class IdListField(serializers.ListField):
    """Ids as a repeated parameter (``owner=1&owner=2``), comma-separated, or both."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [data]
        ids = []
        for item in data:
            for part in str(item).split(","):
                part = part.strip()
                if not part:
                    continue
                try:
                    ids.append(int(part))
                except ValueError:
                    raise serializers.ValidationError(
                        NOT_AN_ID_MESSAGE.format(value=part)
                    ) from None
        return super().to_internal_value(ids)


class ForecastQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=Target.PeriodKind.choices,
        help_text="Roll deals up by calendar month or quarter of their closing date.",
    )
    owner = IdListField(
        required=False,
        help_text="Only these owners' deals: repeat the parameter or use commas.",
    )
    pipeline = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Only this pipeline's deals.",
    )

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword, so the date range cannot be class attributes.
        fields["from"] = serializers.DateField(
            required=False, help_text="Deals closing on or after this date."
        )
        fields["to"] = serializers.DateField(
            required=False, help_text="Deals closing on or before this date."
        )
        return fields

    def validate(self, attrs):
        start, end = attrs.get("from"), attrs.get("to")
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError({"to": [FROM_AFTER_TO_MESSAGE]})
        return attrs


class ForecastPeriodSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="First day of the month or quarter.")
    label = serializers.CharField(
        help_text="`2017-03` for a month, `2017-Q1` for a quarter."
    )


class ForecastReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ForecastRowSerializer(serializers.Serializer):
    period = ForecastPeriodSerializer()
    owner = ForecastReferenceSerializer(help_text="The deals' owner.")
    pipeline = ForecastReferenceSerializer()
    open_amount = serializers.DecimalField(
        **MONEY, help_text="Deals in open stages (pipeline, best case and commit)."
    )
    open_count = serializers.IntegerField()
    weighted_amount = serializers.DecimalField(
        **MONEY,
        help_text=(
            "Σ amount × probability / 100 over open deals, rounded half to even "
            "to the cent."
        ),
    )
    best_case_amount = serializers.DecimalField(
        **MONEY,
        help_text="Open deals whose stage is in the best case or the commit category.",
    )
    best_case_count = serializers.IntegerField()
    commit_amount = serializers.DecimalField(
        **MONEY, help_text="Open deals whose stage is in the commit category."
    )
    commit_count = serializers.IntegerField()
    closed_won_amount = serializers.DecimalField(**MONEY)
    closed_won_count = serializers.IntegerField()
    closed_lost_amount = serializers.DecimalField(**MONEY)
    closed_lost_count = serializers.IntegerField()
    target = serializers.DecimalField(
        **MONEY,
        allow_null=True,
        help_text="The owner's target for the period; null when none is set.",
    )
    # No digit limit: a tiny target makes any ratio possible.
    attainment = serializers.DecimalField(
        max_digits=None,
        decimal_places=4,
        allow_null=True,
        help_text=(
            "The owner's closed-won amount in the period, over every pipeline in the "
            "result, divided by the target (0.5 is half); null without a target or "
            "when the target is zero."
        ),
    )


class ForecastSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=Target.PeriodKind.choices)
    results = ForecastRowSerializer(many=True)


class ForecastView(APIView):
    """Deal amounts per period, owner and pipeline, placed by closing date.

    One row per period, owner and pipeline that has deals; deals without a closing
    date are left out. Open deals are those whose stage's forecast category is
    pipeline, best case or commit. Best case is cumulative: it includes the commit
    deals, and neither includes closed-won deals. Deals without an amount count in
    the counts but add nothing to the amounts. Only the deals the caller may see
    (their own and their team's) are rolled up.
    """

    extra_error_codes = {"GET": [400]}

    def get_required_scopes(self, method):
        return list(FORECAST_SCOPES)

    def get_deals(self):
        return Deal.objects.visible_to(self.request.user)

    @extend_schema(
        operation_id="forecast_retrieve",
        parameters=[ForecastQuerySerializer],
        responses=ForecastSerializer,
    )
    def get(self, request):
        query = ForecastQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data

        rows = forecast_rows(
            deals=self.get_deals(),
            period=params["period"],
            date_from=params.get("from"),
            date_to=params.get("to"),
            owners=params.get("owner"),
            pipeline=params.get("pipeline"),
        )
        return Response(
            ForecastSerializer({"period": params["period"], "results": rows}).data
        )
