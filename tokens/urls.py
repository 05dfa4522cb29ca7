from django.urls import path

from tokens import views

app_name = "tokens"

urlpatterns = [
    path("api/", views.token_list, name="settings"),
    path("api/tokens/new/", views.token_generate, name="generate"),
    path("api/tokens/<str:public_id>/", views.token_detail, name="detail"),
    path("api/tokens/<str:public_id>/revoke/", views.token_revoke, name="revoke"),
    path(
        "api/applications/<int:pk>/revoke/",
        views.application_revoke,
        name="application-revoke",
    ),
]
