"""Every table of the notify service, for Alembic's environment, the tests and the benchmarks."""

from services.notify.delivery.models import Delivery, DigestItem, RobotDelivery, WebhookEndpoint
from services.notify.directory.models import directory
from services.notify.inbox.models import InboxMessage
from services.notify.notifications.models import Notification, NotificationItem
from services.notify.preferences.models import CategorySetting, Preference

__all__ = ["CategorySetting", "Delivery", "DigestItem", "InboxMessage", "Notification", "NotificationItem",
           "Preference", "RobotDelivery", "WebhookEndpoint", "directory"]
