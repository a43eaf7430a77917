"""Buyer groups: needs from several municipalities that describe the same problem."""
