"""Notifications (通知): accept one (idempotent by key), resolve its recipients, fan it out in chunks, and
the sweeper that resumes what a lost message or a killed worker left behind."""
