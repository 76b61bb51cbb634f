"""Tables of the reporting package."""
