"""The directory (组织与人员): orgs on a materialised path, people, the lookups every context uses (``lookups``),
the snapshot for survey and notify (``sync``); the bulk import in ``importing/``."""
