"""Bulk open data: the public part of what Innomatch knows, as CSV and JSON Lines under NLOD 2.0."""
