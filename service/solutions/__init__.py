"""solutions domain."""
