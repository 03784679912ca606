"""Requests per second through `facesym serve` at 1 and 2 worker processes (not a test).

For each worker count: a signed-off copy of the shipped rules in a temporary folder (signed
by a throwaway name: these figures are about speed, not a release), `facesym serve` on a
free loopback port, a fixed number of POST /api/recommendation requests from a few client
threads, then the server stopped by its process id. Wall-clock figures on this machine: a
busy machine, or one with a single core, shows less gain from the second worker.

    python scripts/web_throughput.py                      # 400 requests, 8 client threads
    python scripts/web_throughput.py --requests 1000 --clients 16
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from web_client import Browser, wait_until_answering

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("m1-weak-side-subtle", "m2-overactive-within-weeks", "s1-skeletal-bite")
MOST_REQUESTS = 20_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def signed_rules(folder: Path) -> Path:
    target = folder / "rules"
    shutil.copytree(ROOT / "rules", target)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "recommender",
            "rules",
            "sign-off",
            str(target),
            "--name",
            "Throughput Figures",
            "--registration",
            "GMC 1234567",
        ],
        check=True,
        capture_output=True,
    )
    return target


def bodies() -> list[str]:
    return [(ROOT / "examples" / f"{name}.json").read_text("utf-8") for name in EXAMPLES]


def measure(base_url: str, requests: int, clients: int) -> tuple[float, int]:
    """Seconds for `requests` recommendations from `clients` threads, and the failures."""
    texts = bodies()

    def one(number: int) -> bool:
        status, _, _ = Browser(base_url).request(
            "POST",
            "/api/recommendation",
            texts[number % len(texts)],
            {"Content-Type": "application/json"},
        )
        return status == 200

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(clients)))  # warm every worker's connections and caches
        started = time.perf_counter()
        answered = list(pool.map(one, range(requests)))
        elapsed = time.perf_counter() - started
    return elapsed, answered.count(False)


def run(workers: int, rules: Path, requests: int, clients: int) -> None:
    port = free_port()
    env = os.environ | {"FACESYM_SITE_SECRET": secrets.token_hex(32), "FACESYM_THREADS": "4"}
    command = [
        sys.executable,
        "-m",
        "recommender",
        "serve",
        "--rules",
        str(rules),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_answering(base_url, 60)
        elapsed, failed = measure(base_url, requests, clients)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    rate = requests / elapsed
    print(
        f"{workers} worker(s): {requests} requests in {elapsed:.2f} s = {rate:.0f} requests/s"
        f" ({failed} failed)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if not 1 <= args.requests <= MOST_REQUESTS or not 1 <= args.clients <= 64:
        parser.error(f"--requests from 1 to {MOST_REQUESTS}, --clients from 1 to 64")
    print(f"CPU cores: {os.cpu_count()}; {args.clients} client threads; loopback only")
    with tempfile.TemporaryDirectory(prefix="facesym-throughput-") as folder:
        rules = signed_rules(Path(folder))
        for workers in (1, 2):
            run(workers, rules, args.requests, args.clients)
    return 0


if __name__ == "__main__":
    sys.exit(main())
