"""Site-wide views: sign-in, and JSON error pages for the API."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults

from tokens.throttling import FailedAuthenticationLimit, client_address

API_PREFIX = "/api/"
TOO_MANY_SIGN_INS = "Too many failed sign-ins from your address. Try again in {wait} s."


class SignInView(auth_views.LoginView):
    """Django's sign-in, limited in failed attempts per client address like tokens.

    A signed-in session can generate tokens, so guessing passwords must be no
    easier than guessing tokens.
    """

    def post(self, request, *args, **kwargs):
        limit = FailedAuthenticationLimit(client_address(request), kind="login")
        wait = limit.wait()
        if wait is not None:
            form = self.get_form()
            form.add_error(None, TOO_MANY_SIGN_INS.format(wait=wait))
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the form came back: wrong credentials
            limit.record_failure()
        return response


def _api_error(status, detail, code):
    return JsonResponse({"detail": detail, "code": code}, status=status)


def bad_request(request, exception, **kwargs):
    if request.path.startswith(API_PREFIX):
        if isinstance(exception, RequestDataTooBig):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return _api_error(
                413, f"The request body is over {limit} bytes.", "too_large"
            )
        return _api_error(400, "The request could not be read.", "bad_request")
    return defaults.bad_request(request, exception, **kwargs)


def permission_denied(request, exception, **kwargs):
    if request.path.startswith(API_PREFIX):
        return _api_error(
            403, "You do not have permission to do this.", "permission_denied"
        )
    return defaults.permission_denied(request, exception, **kwargs)


def page_not_found(request, exception, **kwargs):
    if request.path.startswith(API_PREFIX):
        return _api_error(404, "Not found.", "not_found")
    return defaults.page_not_found(request, exception, **kwargs)


def server_error(request, **kwargs):
    if request.path.startswith(API_PREFIX):
        return _api_error(
            500, "The server failed to answer this request.", "server_error"
        )
    return defaults.server_error(request, **kwargs)
