"""The provider registry: vendors, their service lines, centers, contacts, certificates."""
