"""Ranking: needs to solutions and back, and free text, each result scored by the signals of
signals.py and explained. Callers go through service.py; other domain services use ranker.py."""
