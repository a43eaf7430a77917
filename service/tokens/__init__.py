"""API tokens: created and revoked by admins, shown once, stored as a hash, each bound to one role."""
