"""Concurrency for the PostgreSQL tests: work released in several threads at one instant."""

import threading

from django.db import connections


def at_the_same_moment(count, work):
    """Run work(i) in `count` threads released together; returns results, raises errors."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results
