"""Tables of the selection package."""
