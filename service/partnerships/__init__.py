"""Pilot partnerships: needs (often a buyer group) + candidate solutions + a lead municipality + a
recommended procurement route, followed from proposal to scale, with the KPI outcomes of the pilot."""
