"""A small closed-loop HTTP load generator: N processes, each requesting one URL as fast
as the server answers for a fixed time. Not a benchmark itself."""

import http.client
import statistics
import time
from dataclasses import dataclass
from multiprocessing import Pool


@dataclass(frozen=True)
class Throughput:
    path: str
    requests: int
    seconds: float
    errors: int
    median_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _worker(job: tuple[int, str, str, float]) -> tuple[list[float], int]:
    port, path, cookie, seconds = job
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
        response = connection.getresponse()
        response.read()
        connection.close()
        latencies.append(time.perf_counter() - started)
        errors += response.status != 200
    return latencies, errors


def measure(*, port: int, path: str, cookie: str = "", seconds: float = 8,
            concurrency: int = 4) -> Throughput:
    _worker((port, path, cookie, 1.0))  # warm the workers' caches and connections
    with Pool(concurrency) as pool:
        results = pool.map(_worker, [(port, path, cookie, seconds)] * concurrency)
    latencies = sorted(value for batch, _ in results for value in batch)
    return Throughput(
        path=path,
        requests=len(latencies),
        seconds=seconds,
        errors=sum(errors for _, errors in results),
        median_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    )
