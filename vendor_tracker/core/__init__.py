"""Cross-cutting pieces: model mixins, errors, pagination, security headers, health."""
