"""Demand views: where the needs and KPI gaps for a solution, a KPI or a theme are."""
