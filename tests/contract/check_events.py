#!/usr/bin/env python3
"""Checks the event schemas, and every event the integration tests' servers really produced.

    check_events.py --schemas schemas/events
        The schemas alone: each is a valid JSON Schema 2020-12 with a $id.

    check_events.py --schemas schemas/events --log events.jsonl --min-events N
        Also validates every recorded message (one JSON object per line: topic, key,
        event_id, payload) against the schema of its topic: an unknown topic, a payload
        that does not match, a key other than the payload's user_id, an event_id other
        than the payload's, fewer than N messages, or a topic or task event type never
        seen is a failure. With --partial a log need not hold every topic and event type
        (the Kafka tests check what one test read back from the broker).

Exit status 0 when everything holds, 1 otherwise (each failure is printed).
"""

import argparse
import collections
import json
import os
import sys

from jsonschema import Draft202012Validator

TOPICS = {"task-events": "task-events.v1.json", "reminders": "reminders.v1.json",
          "task-updates": "task-updates.v1.json"}
EVENT_TYPES = ("created", "updated", "completed", "reopened", "deleted")
MAX_PRINTED = 40


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--log")
    parser.add_argument("--min-events", type=int, default=1)
    parser.add_argument("--partial", action="store_true",
                        help="do not require every topic and task event type")
    args = parser.parse_args()

    failures = []
    validators = {}
    for topic, name in TOPICS.items():
        with open(os.path.join(args.schemas, name), encoding="utf-8") as f:
            schema = json.load(f)
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as e:  # noqa: BLE001 - report any schema error
            failures.append(f"{name}: not a valid JSON Schema 2020-12: {e}")
            continue
        if "$id" not in schema:
            failures.append(f"{name}: no $id")
        validators[topic] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    if args.log and not failures:
        seen_topics = collections.Counter()
        seen_types = collections.Counter()
        count = 0
        with open(args.log, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                count += 1
                record = json.loads(line)
                topic = record["topic"]
                where = f"line {number} ({topic} {record.get('event_id')})"
                if topic not in validators:
                    failures.append(f"{where}: unknown topic")
                    continue
                try:
                    payload = json.loads(record["payload"])
                except json.JSONDecodeError as e:
                    failures.append(f"{where}: payload is not JSON: {e}")
                    continue
                for error in validators[topic].iter_errors(payload):
                    path = "/".join(str(p) for p in error.absolute_path)
                    failures.append(f"{where}: /{path}: {error.message}")
                if isinstance(payload, dict):
                    if payload.get("user_id") != record.get("key"):
                        failures.append(f"{where}: key {record.get('key')!r} is not the user_id")
                    if payload.get("event_id") != record.get("event_id"):
                        failures.append(f"{where}: event_id differs from the outbox row's")
                    seen_types[(topic, payload.get("event_type"))] += 1
                seen_topics[topic] += 1
        if count < args.min_events:
            failures.append(f"only {count} events recorded; expected at least {args.min_events}")
        for topic in TOPICS if not args.partial else ():
            if seen_topics[topic] == 0:
                failures.append(f"no {topic} message was produced by the tests")
        for topic in ("task-events", "task-updates") if not args.partial else ():
            for event_type in EVENT_TYPES:
                if seen_types[(topic, event_type)] == 0:
                    failures.append(f"no {topic} {event_type} message was produced by the tests")
        if not failures:
            print(f"{count} events match their schemas "
                  f"({', '.join(f'{t}: {n}' for t, n in sorted(seen_topics.items()))})")

    for failure in failures[:MAX_PRINTED]:
        print(failure)
    if len(failures) > MAX_PRINTED:
        print(f"... and {len(failures) - MAX_PRINTED} more")
    if not failures and not args.log:
        print("event schemas hold")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
