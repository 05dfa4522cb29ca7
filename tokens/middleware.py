"""Responses to tokens that may write a module's records but not read them."""


def only_ids(data):
    """The identifiers in a response body, and nothing else."""
    if isinstance(data, list):
        return [only_ids(item) for item in data]
    if isinstance(data, dict):
        if "id" in data:
            return {"id": data["id"]}
        return {
            key: only_ids(value)
            for key, value in data.items()
            if isinstance(value, dict | list)
        }
    return data


class WriteOnlyResponseMiddleware:
    """A token with ``leads:create`` but not ``leads:read`` gets back the new
    lead's id, not the record: writing never becomes a way to read.

    The permission check marks such requests; bodies are cut down here, before
    they are rendered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        if (
            getattr(request, "token_cannot_read", False)
            and 200 <= response.status_code < 300
            and getattr(response, "data", None) is not None
        ):
            response.data = only_ids(response.data)
        return response
