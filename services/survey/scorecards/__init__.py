"""四好领导班子 scorecards: per committee and branch per year, from pledges facts and surveys own rounds."""
