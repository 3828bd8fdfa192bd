"""The nightly facts for survey's 四好 scorecards (``xianfeng daily --date D`` and the beat): the facts of D's
year as of D, one snapshot message through the outbox (the consumer replaces its copy: replays are harmless);
on 1 January also the closing facts of the year before."""

from __future__ import annotations

from datetime import date

from services.pledge.facts.collect import year_facts
from shared.context import Context
from shared.messages import ScorecardFactsChanged


def facts_message(ctx: Context, year: int, as_of: date) -> ScorecardFactsChanged:
    return ScorecardFactsChanged(year=year, as_of=as_of.isoformat(), facts=list(year_facts(ctx.session, year, as_of)),
                                 snapshot=True)


def send_facts(ctx: Context, day: date) -> int:
    """Publish the facts of ``day``'s year (and of the year before on 1 January); the number of orgs."""
    years = [(day.year - 1, date(day.year - 1, 12, 31))] if (day.month, day.day) == (1, 1) else []
    sent = 0
    for year, as_of in [*years, (day.year, day)]:
        message = facts_message(ctx, year, as_of)
        ctx.publish(message)
        sent = len(message.facts)
    return sent
