"""Audit trail: who changed which record, when, and each field's old and new value."""
