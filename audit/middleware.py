"""Refused requests are security events too (ASVS 5.0 16.3.2 and 16.3.3): a 403 is someone
reaching for what isn't theirs or a forged form, a 429 is automation meeting a limit."""

import logging

from django.core.cache import cache
from django.db import DatabaseError

from audit.models import Action
from audit.services import event_record, ip_hash

logger = logging.getLogger(__name__)

REFUSALS = {403: Action.REFUSED_FORBIDDEN, 429: Action.REFUSED_RATE_LIMITED}
# One event per connection, page and kind of refusal in this many seconds: a flood of refused
# requests must not become a flood of writes (nor fill the log).
RECORD_ONCE_PER_SECONDS = 60


class RefusalAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        action = REFUSALS.get(response.status_code)
        if action is not None:
            self._record(request, action, response.status_code)
        return response

    @staticmethod
    def _record(request, action: str, status: int) -> None:
        # The view's name, never the path: paths hold signed tokens and story slugs.
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None else ""
        address = request.META.get("REMOTE_ADDR", "")
        once_key = f"audit-refusal:{action}:{view}:{ip_hash(address) if address else '-'}"
        if not cache.add(once_key, 1, timeout=RECORD_ONCE_PER_SECONDS):
            return
        try:
            event_record(action=action, request=request,
                         details={"status": status, "method": request.method[:10],
                                  "view": view})
        except DatabaseError:
            # The refusal stands whatever happens here; a failed audit write must not turn
            # it into a server error.
            logger.exception("Could not record a refused request.")
