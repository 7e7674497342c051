"""Drives POST /v1/completions at n=1 and n=8 and prints requests/s, tokens/s and their ratio."""

import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

BASE, SECONDS, CONCURRENCY = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
MAX_TOKENS = 32


def post(n, seed):
    body = json.dumps(
        {"prompt": "Once upon a time", "n": n, "max_tokens": MAX_TOKENS, "seed": seed}
    ).encode()
    request = urllib.request.Request(
        BASE + "/v1/completions",
        body,
        {
            "Content-Type": "application/json",
            "Authorization": "Bearer " + os.environ["RUNTIME_SERVICE_KEY"],
        },
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.load(response)["usage"]["completion_tokens"]


def wait_until_serving():
    deadline = time.time() + 900
    while time.time() < deadline:
        try:
            post(1, 0)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(1)
    sys.exit("model-runtime did not serve within 15 minutes")


def run_case(n):
    done = {"requests": 0, "tokens": 0, "refused": 0}
    lock = threading.Lock()
    stop_at = time.time() + SECONDS

    def worker(k):
        seed = k * 100000
        while time.time() < stop_at:
            seed += 1
            try:
                tokens = post(n, seed)
                with lock:
                    done["requests"] += 1
                    done["tokens"] += tokens
            except urllib.error.HTTPError as e:
                if e.code != 429:
                    raise
                with lock:
                    done["refused"] += 1
                time.sleep(0.05)

    start = time.time()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - start
    return done["requests"] / elapsed, done["tokens"] / elapsed, done["refused"]


wait_until_serving()
post(8, 1)  # warm-up of the batched path
print(f"{CONCURRENCY} concurrent clients, {SECONDS:.0f} s per case, max_tokens {MAX_TOKENS}")
results = {}
for n in (1, 8):
    rps, tps, refused = run_case(n)
    results[n] = tps
    print(f"n={n}: {rps:6.2f} requests/s  {tps:8.1f} tokens/s  ({refused} answered 429)")
print(f"tokens/s ratio n=8 / n=1: {results[8] / results[1]:.2f}x")
