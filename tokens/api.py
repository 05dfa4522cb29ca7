"""The API endpoint a token uses to learn about, or revoke, itself."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from tokens import services
from tokens.authentication import BearerTokenAuthentication
from tokens.permissions import IsTokenAuthenticated
from tokens.serializers import TokenInfoSerializer
from tokens.throttling import client_address


class CurrentTokenView(APIView):
    """The token that authenticated this request."""

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsTokenAuthenticated]

    def get_throttles(self):
        # A token over its rate limit can still revoke itself.
        if self.request.method == "DELETE":
            return []
        return super().get_throttles()

    @extend_schema(
        responses=TokenInfoSerializer, description="Describe the presented token."
    )
    def get(self, request):
        return Response(TokenInfoSerializer(request.auth).data)

    @extend_schema(responses={204: None}, description="Revoke the presented token.")
    def delete(self, request):
        services.token_revoke(
            token=request.auth, actor=request.user, client_ip=client_address(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
