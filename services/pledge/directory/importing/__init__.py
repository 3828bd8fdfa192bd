"""The directory import: a CSV/XLSX file checked at once, run as a job (chunks, heartbeat, resumed when silent),
orgs and people upserted by code / employee number; row validation in ``domain/rows``."""
