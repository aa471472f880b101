"""gunicorn's settings for this app, read from the project's root by every gunicorn started there.

Only what the command line cannot say lives here: a hook. The workers, their class and the binding
stay on the command line (README, "Running in production").
"""

# How long a gevent worker's greenlet waits after each response: any time above 0 is a timer, which
# gevent runs only after it has looked for ready sockets; see post_request.
TURN_SECONDS = 0.00001


def post_request(worker, req, environ, resp):
    """After each response, a gevent worker lets its other connections have a turn.

    A greenlet runs until it waits on a socket, and a busy client's next request is often there
    already when the last response has gone: without a yield, a few keep-alive connections took a
    worker for seconds while others waited (wrk, 16 connections to a lesson page: p99 1.0-1.3 s at
    a p50 of 2.5 ms). `gevent.sleep(0)` was not enough for pages that take milliseconds: it queues
    the greenlet among gevent's callbacks, which run up to 50 at a time before the sockets are
    looked at again, so the connections whose request was already read kept their turns while the
    others waited (an exercise page after a window of submits: p99 0.7-1.1 s at a p50 of 17 ms). A
    timer waits for the next pass over the sockets: p99 60-100 ms, for the same throughput within
    the runs' spread (bench/README.md, "Taking turns").
    """
    if worker.__class__.__name__ == "GeventWorker":
        import gevent

        gevent.sleep(TURN_SECONDS)
