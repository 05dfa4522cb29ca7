from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from config.docs import RedocView, SwaggerView
from config.views import SignInView
from tokens.api import CurrentTokenView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="tokens:settings"), name="home"),
    path("admin/", admin.site.urls),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", include("tokens.urls")),
    path("api/v1/token/", CurrentTokenView.as_view(), name="current-token"),
    path("api/v1/", include("crm.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SwaggerView.as_view(url_name="schema"),
        name="swagger-ui",
    ),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("api-auth/", include("rest_framework.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
