"""The rules every bulk message follows, registered with the outbox: no mail to suppressed
addresses, List-Unsubscribe headers, and the global sending rate."""

from typing import Any

from django.utils.translation import gettext

from campaigns.ratelimit import get_limiter
from campaigns.services import suppression
from website import outbox
from website.models import OutboundEmail


class CampaignsBulkPolicy:
    def refusal(self, message: OutboundEmail) -> str:
        if suppression.is_suppressed(message.to):
            return gettext("Not sent: the address is on the suppression list.")
        return ""

    def context(self, message: OutboundEmail) -> dict[str, Any]:
        return {"unsubscribe_url": suppression.unsubscribe_url(message.pk)}

    def headers(self, message: OutboundEmail) -> dict[str, str]:
        return suppression.list_unsubscribe_headers(message.pk)

    def wait(self) -> float:
        return get_limiter().acquire()


def register() -> None:
    outbox.register_bulk_policy(CampaignsBulkPolicy())
