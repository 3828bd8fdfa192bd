"""四好 scorecard facts: what pledge knows of each committee and branch in a year (pledge completion and
outcomes, inspections, quarterly comments, demo-site evaluations, contact points and visits), as plain sums
and counts sent to survey, which owns the evaluation."""
