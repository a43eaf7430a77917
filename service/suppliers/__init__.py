"""suppliers domain."""
