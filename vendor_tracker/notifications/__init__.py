"""Notifications: an outbox of events for each person, read in the app and sent by email."""
