"""Innomatch: innovation-procurement matchmaking for Norwegian municipalities."""

import os

# FAISS searches from the server's worker threads use OpenMP, which reads this once, when it loads:
# one query is faster on one thread, which does not wait on OpenMP's barrier, and concurrent requests
# use the cores (docs/ann-index.md, "FAISS threads"). An operator's own setting wins.
os.environ.setdefault("OMP_NUM_THREADS", "1")
