"""Every table of the survey service, for Alembic's env, the tests and the benchmarks.

Each table is declared in the context that owns it; importing this module registers them all on
``Base.metadata``.
"""

from services.survey.ballots.models import Answer, PooledAnswers
from services.survey.db import Base
from services.survey.directory.models import PledgeCopy, ServiceTargetCopy, directory
from services.survey.results.models import OrgSummary, Result
from services.survey.rounds.models import Ballot, BallotTarget, Round, RoundTarget
from services.survey.scorecards.models import OrgYearFact, Scorecard, ScorecardSettings

__all__ = ["Answer", "Ballot", "BallotTarget", "Base", "OrgSummary", "OrgYearFact", "PledgeCopy", "PooledAnswers",
           "Result", "Round", "RoundTarget", "Scorecard", "ScorecardSettings", "ServiceTargetCopy", "directory"]
