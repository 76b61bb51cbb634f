"""Entry point for `flask --app app` and gunicorn (`gunicorn app:app`)."""

from vendor_tracker import create_app

app = create_app()
