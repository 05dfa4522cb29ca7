from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import APIRootView, DefaultRouter

from crm import views
from crm.forecast import ForecastView
from crm.targets import TargetViewSet


class CRMRootView(APIRootView):
    """The API's index: a link to each module's list."""

    permission_classes = [IsAuthenticated]


class CRMRouter(DefaultRouter):
    APIRootView = CRMRootView


router = CRMRouter()
router.register("accounts", views.AccountViewSet)
router.register("contacts", views.ContactViewSet)
router.register("leads", views.LeadViewSet)
router.register("deals", views.DealViewSet)
router.register("campaigns", views.CampaignViewSet)
router.register("pipelines", views.PipelineViewSet)
router.register("line-items", views.DealLineItemViewSet)
router.register("tasks", views.TaskViewSet)
router.register("calls", views.CallViewSet)
router.register("meetings", views.MeetingViewSet)
router.register("notes", views.NoteViewSet)
router.register("tickets", views.TicketViewSet)
router.register("products", views.ProductViewSet)
router.register("tags", views.TagViewSet)
router.register("targets", TargetViewSet)

urlpatterns = [
    path("forecast/", ForecastView.as_view(), name="forecast"),
    *router.urls,
]
