"""Saved searches and the alerts they send when something new matches."""
