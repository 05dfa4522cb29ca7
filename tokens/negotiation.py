"""Content negotiation: requests carrying a bearer token are answered in JSON.

The browsable API's HTML forms list the records a form may link to, which
would show a token more than its read scopes allow; it is for people signed in
with a session, not for integrations.
"""

from rest_framework.authentication import get_authorization_header
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer

from tokens.authentication import KEYWORD


class BearerRequestsGetJSON(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        parts = get_authorization_header(request).split()
        if parts and parts[0].lower() == KEYWORD:
            renderers = [
                renderer
                for renderer in renderers
                if not isinstance(renderer, BrowsableAPIRenderer)
            ]
        return super().select_renderer(request, renderers, format_suffix)
