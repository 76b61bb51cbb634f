"""Engagements: the contracted work with a vendor, typed BPO or KPO."""
