#!/usr/bin/env python3
"""Seeds a running taskflow server for the HTTP benchmark, through its API.

Mints an HS256 token for each of --users fresh user ids (with the server's
BETTER_AUTH_SECRET) and creates --tasks tasks spread evenly over them with
POST /api/tasks, over --connections keep-alive connections with --pipeline
requests in flight on each (HTTP/1.1 pipelining; asyncio, no third-party
packages). A share (--completed) is then completed. Writes, into --out:

    users.txt   "<user id> <token>" per line
    tasks.txt   "<user index> <task id>" per line (index into users.txt, from 1)

The wrk scripts (bench/*.lua) read both files.
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import random
import sys
import time
import uuid
from urllib.parse import urlsplit

WORDS = ("report budget review call email plan draft invoice meeting design deploy fix test "
         "write read buy book pay clean cook call order ship update check prepare sign send").split()
TAGS = ("work", "home", "errands", "urgent", "later", "finance", "health", "travel")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(secret, sub, ttl):
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    now = int(time.time())
    payload = b64url(json.dumps({"sub": sub, "iat": now, "exp": now + ttl}).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = b64url(hmac.new(secret.encode(), signing_input, hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def task_body(rng, now):
    body = {"title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5))).capitalize()}
    if rng.random() < 0.8:
        body["priority"] = rng.choice(("P1", "P2", "P3", "P4"))
    if rng.random() < 0.7:
        due = now + rng.randint(-30 * 86400, 365 * 86400)
        body["due_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(due))
    if rng.random() < 0.5:
        body["tags"] = rng.sample(TAGS, rng.randint(1, 2))
    if rng.random() < 0.3:
        body["description"] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 20)))
    return json.dumps(body).encode()


class Connection:
    """One keep-alive HTTP/1.1 connection that pipelines requests."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.buffer = b""

    async def exchange(self, requests):
        """Sends the requests at once; returns [(status, body)] in order."""
        self.writer.write(b"".join(requests))
        answers = []
        while len(answers) < len(requests):
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end >= 0:
                head = self.buffer[:head_end]
                length = 0
                at = head.lower().find(b"\r\ncontent-length:")
                if at >= 0:
                    line_end = head.find(b"\r\n", at + 2)
                    length = int(head[at + 17:line_end if line_end >= 0 else len(head)])
                end = head_end + 4 + length
                if len(self.buffer) >= end:
                    answers.append((int(head[9:12]), self.buffer[head_end + 4:end]))
                    self.buffer = self.buffer[end:]
                    continue
            data = await self.reader.read(1 << 16)
            if not data:
                raise RuntimeError("the server closed the connection")
            self.buffer += data
        return answers


async def worker(host, port, jobs, results, depth):
    """Creates the jobs' tasks in pipelined batches of `depth`, then completes some."""
    connection = Connection(*await asyncio.open_connection(host, port))
    prefix = b"POST %s HTTP/1.1\r\nHost: " + host.encode() + b"\r\nAuthorization: Bearer %s\r\n"
    try:
        while jobs:
            batch = [jobs.pop() for _ in range(min(depth, len(jobs)))]
            answers = await connection.exchange([
                prefix % (b"/api/tasks", token)
                + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
                for _, _, token, body, _ in batch])
            completes = []
            for (index, user_index, token, _, complete), (status, payload) in zip(batch, answers):
                if status != 201:
                    raise RuntimeError(f"POST /api/tasks answered {status}: {payload[:300]!r}")
                at = payload.find(b'"id":"') + 6
                task_id = payload[at:payload.find(b'"', at)]
                results[index] = (user_index, task_id.decode())
                if complete:
                    completes.append(prefix % (b"/api/tasks/%s/complete" % task_id, token)
                                     + b"Content-Length: 0\r\n\r\n")
            if completes:
                for status, payload in await connection.exchange(completes):
                    if status != 200:
                        raise RuntimeError(f"complete answered {status}: {payload[:300]!r}")
    finally:
        connection.writer.close()


async def seed(args):
    url = urlsplit(args.url)
    rng = random.Random(args.seed)
    users = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(args.users)]
    tokens = [mint(args.secret, u, args.token_ttl) for u in users]
    now = int(time.time())
    jobs = []
    for i in range(args.tasks):
        user_index = i % args.users
        jobs.append((i, user_index + 1, tokens[user_index].encode(), task_body(rng, now),
                     rng.random() < args.completed))
    jobs.reverse()  # pop() from the end keeps creation order roughly by index
    results = [None] * args.tasks
    await asyncio.gather(*(worker(url.hostname, url.port, jobs, results, args.pipeline)
                           for _ in range(args.connections)))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "users.txt"), "w") as f:
        f.writelines(f"{u} {t}\n" for u, t in zip(users, tokens))
    with open(os.path.join(args.out, "tasks.txt"), "w") as f:
        f.writelines(f"{user_index} {task_id}\n" for user_index, task_id in results)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--secret", required=True, help="the server's BETTER_AUTH_SECRET")
    parser.add_argument("--out", required=True, help="directory for users.txt and tasks.txt")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--completed", type=float, default=0.2, help="share of tasks completed after creation")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pipeline", type=int, default=16, help="requests in flight per connection")
    parser.add_argument("--token-ttl", type=int, default=86400, help="token lifetime in seconds")
    parser.add_argument("--seed", type=int, default=42, help="random seed (same data every run)")
    args = parser.parse_args()
    started = time.monotonic()
    asyncio.run(seed(args))
    elapsed = time.monotonic() - started
    print(f"seeded {args.tasks} tasks for {args.users} users in {elapsed:.1f} s "
          f"({args.tasks / elapsed:.0f} tasks/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
