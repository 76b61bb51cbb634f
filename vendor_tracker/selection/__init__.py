"""Vendor selection: sourcing requests, the BPO/KPO advisor, scoring, award."""
