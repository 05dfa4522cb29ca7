"""The API reference pages, held to this server's own assets."""

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

# The bundled viewers need inline bootstrapping, inline styles and blob workers;
# nothing may be fetched from another origin (Redoc asks for a remote logo).
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ]
)


class SameOriginPolicyMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
        return response


class SwaggerView(SameOriginPolicyMixin, SpectacularSwaggerView):
    """Swagger UI, served from this application's static files."""


class RedocView(SameOriginPolicyMixin, SpectacularRedocView):
    """Redoc, served from this application's static files."""
