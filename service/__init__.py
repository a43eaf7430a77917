"""Innomatch: innovation-procurement matchmaking for Norwegian municipalities."""
