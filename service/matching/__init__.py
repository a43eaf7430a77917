"""matching domain."""
