"""municipalities domain."""
