"""gunicorn's settings for the portal's web process; gunicorn reads this file from its
working directory (the deploy unit's and `make bench`'s), and a command-line option or
`GUNICORN_CMD_ARGS` overrides any of them.

Workers and threads for this machine's shape (two cores, PostgreSQL on the same host),
chosen with `make bench` (README, "Performance and scaling"): one sync worker per core.
Both sides of a page are CPU (Python in the worker, SQL in PostgreSQL on the same two
cores), so a third or fourth worker only took turns on them (within the runs' ±10 %,
with more memory and database connections), and two threads per worker lost up to half
of the lists' throughput to the GIL. WEB_CONCURRENCY and GUNICORN_THREADS change them
for another machine: a web host without the database waits for it over the network and
wants about one worker per core plus one.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 2)))
# Threads share a worker's GIL: they help only while a thread waits for the database or
# a client; each thread keeps a database connection of its own (CONN_MAX_AGE).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Under the proxy's timeout, over PgBouncer's query_wait_timeout (10 s): a stuck request
# is ended and logged, never left to hold a worker.
timeout = 30
graceful_timeout = 30
# The proxy holds client keep-alive; this only covers the hop from it.
keepalive = 5


def post_worker_init(worker):
    """Once the worker has loaded the portal, its objects (Django's, the apps', some
    170 000) leave the garbage collector's sight: they live as long as the process, and
    each full collection walked them all, about 100 ms that landed on whichever request
    allocated the most (a 5 000-row export met one every fourth request; issue 18). The
    Python documentation's gc.freeze."""
    gc.collect()
    gc.freeze()
