"""KPO engagements: deliverables, versions, review rounds, collaboration log."""
