"""Supervision (督诺): inspections, quarterly comments (每季点评), demo sites (示范点), contact points (联系点); who
reads which org's records and the rules of each in ``domain/``."""
