"""The equal-treatment audit trail: who did what to which record, and who saw which demand, append-only."""
