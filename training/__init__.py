"""Training: data from traces, co-training planner and actor, self-play."""
