"""Open Contracting (OCDS 1.1.5) releases of needs and pilot partnerships (docs/ocds.md)."""
