"""One process of the fleet benchmark (``bench_scale.run_fleet``): ``THREADS`` threads page through
``contacts.list`` from ``START`` to ``STOP`` (epoch seconds), then print the successful pages.

``python -m benchmarks._fleet URL START STOP THREADS``; ``$INTERCOM_RATE_LIMIT_REDIS_URL`` decides
whether the process shares its budget through Redis.
"""

from __future__ import annotations

import sys
import threading
import time


def main(url: str, start: float, stop: float, threads: int) -> int:
    from intercom_ext import v2_11

    client = v2_11.Intercom(token="bench-token", base_url=url, max_retries=20)
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
    sys.exit(main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])))
