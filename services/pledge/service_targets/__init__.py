"""三服务: service targets set downward — a committee for its branches, a branch for its members, a member for
the employees of their branch — kept in versions and sent to survey for the three_way ballots."""
