"""OpenAPI description of bearer-token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from tokens.crypto import PREFIX


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tokens.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": f"{PREFIX}<id>_<secret><checksum>",
            "description": (
                "A personal auth token generated under Settings → API, sent as "
                "`Authorization: Bearer <token>`. Each operation lists the scope it "
                "requires in `x-required-scopes`; the token's owner must also hold "
                "the matching permission when the request is made."
            ),
        }
