"""Operations: backup and restore of the embedded database, Prometheus metrics, structured logs."""
