"""gunicorn's settings for this app, read from the project's root by every gunicorn started there.

Only what the command line cannot say lives here: a hook. The workers, their class and the binding
stay on the command line (README, "Running in production").
"""


def post_request(worker, req, environ, resp):
    """After each response, a gevent worker lets its other connections have a turn.

    A greenlet runs until it waits on a socket, and a busy client's next request is often there
    already when the last response has gone: without this, a few keep-alive connections took a
    worker for seconds while others waited (wrk, 16 connections to a lesson page: p99 1.0-1.3 s at
    a p50 of 2.5 ms; with it, p99 21-45 ms at a p50 of 4 ms, for the same throughput; bench/README.md).
    """
    if worker.__class__.__name__ == "GeventWorker":
        import gevent

        gevent.sleep(0)
