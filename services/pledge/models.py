"""Every table of the pledge service, from each context (for Alembic's env, the tests and the benchmarks)."""

from services.pledge.daily_work.models import (
    Mentorship,
    Post,
    VolunteerActivity,
    VolunteerParticipant,
    Zone,
    ZoneCheck,
    ZoneHolder,
    ZoneIncident,
)
from services.pledge.directory.importing.models import ImportJob, ImportUpload
from services.pledge.directory.models import Org, Person
from services.pledge.pledges.models import (
    Carrier,
    Pledge,
    PledgeTransition,
    PledgeVersion,
    ProgressReport,
    SentReminder,
)
from services.pledge.service_targets.models import ServiceTarget, ServiceTargetVersion
from services.pledge.suggestions.models import Suggestion, SuggestionAnswer
from services.pledge.supervision.models import (
    ContactPoint,
    ContactVisit,
    DemoSite,
    DemoSiteAction,
    DemoSiteEvaluation,
    Inspection,
    InspectionPledgeLink,
    QuarterlyComment,
    inspection_pledges,
)

__all__ = [
    "Carrier",
    "ContactPoint",
    "ContactVisit",
    "DemoSite",
    "DemoSiteAction",
    "DemoSiteEvaluation",
    "ImportJob",
    "ImportUpload",
    "Inspection",
    "InspectionPledgeLink",
    "Mentorship",
    "Org",
    "Person",
    "Pledge",
    "PledgeTransition",
    "PledgeVersion",
    "Post",
    "ProgressReport",
    "QuarterlyComment",
    "SentReminder",
    "ServiceTarget",
    "ServiceTargetVersion",
    "Suggestion",
    "SuggestionAnswer",
    "VolunteerActivity",
    "VolunteerParticipant",
    "Zone",
    "ZoneCheck",
    "ZoneHolder",
    "ZoneIncident",
    "inspection_pledges",
]
