"""Innomatch: innovation-procurement matchmaking for Norwegian municipalities."""

import os

# FAISS searches from the server's worker threads use OpenMP, which reads this once, when it loads:
# one query is faster on one thread (on 2 cores, a 1k search took 9.5 ms on two threads, 0.2 ms on one),
# and concurrent requests use the cores. An operator's own setting wins.
os.environ.setdefault("OMP_NUM_THREADS", "1")
