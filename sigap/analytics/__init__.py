"""The early-warning engine: plain Python on numpy (and scipy.special), no Django.

Everything here is deterministic: the clock, the thresholds and the random seeds are parameters. The Django side
(`sigap.risk`) is the only adapter between the database and these functions.
"""
