"""Gunicorn settings of the web container (gunicorn reads this file from its working directory;
command-line options override it). Environment variables tune them per machine.

- workers x threads: gthread workers, so a request waiting on the database (a commit, a row
  lock) does not hold a whole process. 3 x 4 on the 2-core machine the README figures come
  from; 2 x 8 did as well and 4 x 2 and 2 x 4 worse in short exam-day trials.
- keepalive: short (gunicorn's 2 s). A long one (65 s tried) keeps each candidate's connection
  on the worker that happened to accept it at the synchronized exam start, for the whole exam:
  one worker queues while another idles (answer save p95 60 s against 2 s in the same trial).
  Reconnecting after a 10-120 s think time costs little and lets the busiest worker accept
  least. A client (or proxy) must drop idle connections sooner than this, or a request sent as
  the server closes the connection is lost with a ReadError (reproduced: 25 of 2,000 requests
  sent after ~2 s idle with httpx's 5 s expiry, none with 1 s); browsers retry such requests,
  exam.js retries saves.
"""

import os

workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "2"))
