from guardianship.access import AccessRefused, log_access
from guardianship.enums import AccessOutcome


class AccessLogMiddleware:
    """Records refused looks at children's data. It runs after the view's transaction has
    rolled back, so the row is kept; Django then answers 404 as for any other Http404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AccessRefused):
            log_access(
                request,
                exception.action,
                guardianship_request=exception.guardianship_request,
                outcome=AccessOutcome.REFUSED,
            )
        return None
