"""Users, roles, login sessions, API tokens and permission decorators."""
