"""Tables of the kpo package."""
