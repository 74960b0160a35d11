"""Gunicorn settings of the web container (gunicorn reads this file from its working directory;
command-line options override it). Environment variables tune them per machine.

- workers x threads: gthread workers, so a request waiting on the database (a commit, the
  attempt's row lock) does not hold a whole process. 3 x 4 on the 2-core machine the figures in
  the README come from (exam-day trials of other sizes are in the README).
- keepalive: longer than the idle timeout of whatever keeps connections open to us (60 s for
  nginx's upstream keep-alive and AWS load balancers; browsers reuse a connection for about as
  long), so the server is never the side that closes an idle connection while a client may be
  sending a request on it: that race loses the request with a connection ReadError (seen in the
  exam-day benchmark with gunicorn's 2 s default). gthread keeps idle connections in its poller,
  not in a thread, up to `worker_connections` per worker.
"""

import os

workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "2"))
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
