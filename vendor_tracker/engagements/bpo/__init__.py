"""BPO engagements: service levels, monthly measurements, compliance, service credits."""
