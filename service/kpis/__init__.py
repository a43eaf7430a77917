"""kpis domain."""
