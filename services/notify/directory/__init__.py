"""Notify's copy of the directory (orgs and people, from pledge's events): the lookups every context
makes of it, and the subtree checks of who may send to, read or manage what."""
