"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (see docs/DEPLOYMENT.md)."""

import gc
import multiprocessing
import os

wsgi_app = "app:app"
# GUNICORN_BIND wins; otherwise HOST and PORT (127.0.0.1:8000 behind a reverse proxy).
bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
# Several worker processes; the app keeps no state in process memory (sessions are signed
# cookies, rate limits live in RATELIMIT_STORAGE_URI, data in the database).
workers = int(os.environ.get("WEB_CONCURRENCY") or min(multiprocessing.cpu_count() * 2 + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
# The worker pid (%(p)s) shows requests spreading over the workers.
access_log_format = '%(h)s [%(p)s] "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only a proxy on this host may set X-Forwarded-* headers that gunicorn trusts.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Build the app once in the master, then freeze the objects it allocated: workers share those
# pages copy-on-write and the garbage collector stops rescanning them on every request (this
# took the scorecard pages from ~590 ms to ~420 ms p95 on the benchmark data, docs/PERFORMANCE.md).
preload_app = True


def when_ready(_server):
    # Compile every page template once, here: the workers inherit them instead of each paying a
    # page's compilation on its first request of it (130-250 ms on the reporting pages).
    from app import app

    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    gc.collect()
    gc.freeze()


def post_fork(_server, _worker):
    # A pooled connection must never be shared across processes: each worker opens its own.
    from app import app
    from vendor_tracker.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)
