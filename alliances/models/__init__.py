"""The alliances app's models.

alliance.py: who is in an alliance, in which role. interest_map.py: why they are in it.
reviews.py: whether it still fits. health.py: how it fared over time. notifications.py: telling people what needs them.
"""

from .alliance import (
    INVITATION_LIFETIME,
    Alliance,
    AllianceQuerySet,
    AllianceScopedQuerySet,
    Invitation,
    InvitationQuerySet,
    Organization,
    OrganizationMembership,
    OrganizationQuerySet,
    Partner,
    PartnerQuerySet,
    Role,
    StageTransition,
    TimerPause,
    User,
    UserManager,
    add_months,
    normalize_email,
)
from .health import HealthSnapshot
from .interest_map import Goal, Interest, InterestLink, InterestQuerySet, VisibilityChange
from .notifications import (
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationQuerySet,
    OutboundEmail,
)
from .reviews import REMINDER_LEAD_TIMES, PartnerFit, Review, ReviewQuerySet, ReviewTrigger

__all__ = [
    "INVITATION_LIFETIME",
    "REMINDER_LEAD_TIMES",
    "Alliance",
    "AllianceQuerySet",
    "AllianceScopedQuerySet",
    "Goal",
    "HealthSnapshot",
    "Interest",
    "InterestLink",
    "InterestQuerySet",
    "Invitation",
    "InvitationQuerySet",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "NotificationQuerySet",
    "Organization",
    "OrganizationMembership",
    "OrganizationQuerySet",
    "OutboundEmail",
    "Partner",
    "PartnerFit",
    "PartnerQuerySet",
    "Review",
    "ReviewQuerySet",
    "ReviewTrigger",
    "Role",
    "StageTransition",
    "TimerPause",
    "User",
    "UserManager",
    "VisibilityChange",
    "add_months",
    "normalize_email",
]
