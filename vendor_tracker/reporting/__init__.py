"""The read side: scorecards, risks, portfolio and spend, QBR packs, exports."""
