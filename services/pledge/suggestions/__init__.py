"""Suggestions (征求意见): employees' views and needs, anonymous or signed, answered by the org's secretaries
and by the pledges that take them up."""
