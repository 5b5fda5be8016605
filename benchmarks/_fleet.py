"""One process of the fleet benchmark (``bench_scale.run_fleet``): builds its client, prints
``ready``, reads ``START STOP`` (epoch seconds) from stdin, then ``THREADS`` threads page through
``contacts.list`` from ``START`` to ``STOP`` and it prints the successful pages.

``python -m benchmarks._fleet URL THREADS``; ``$INTERCOM_RATE_LIMIT_REDIS_URL`` decides whether the
process shares its budget through Redis.
"""

from __future__ import annotations

import sys
import threading
import time


def main(url: str, threads: int) -> int:
    from intercom_ext import v2_11

    client = v2_11.Intercom(token="bench-token", base_url=url, max_retries=20)
    client.http_client  # noqa: B018 - imports httpx and builds the connection pool now
    print("ready", flush=True)
    start, stop = (float(x) for x in sys.stdin.readline().split())
    ok = [0]
    lock = threading.Lock()

    def caller() -> None:
        while time.time() < stop:
            for _page in client.contacts.list(per_page=50, max_pages=4).pages():
                with lock:
                    ok[0] += 1
                if time.time() >= stop:
                    return

    time.sleep(max(0.0, start - time.time()))
    workers = [threading.Thread(target=caller) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    client.close()
    print(ok[0], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
