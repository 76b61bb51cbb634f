"""Tables of the bpo package."""
