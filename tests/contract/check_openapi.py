#!/usr/bin/env python3
"""Checks api/openapi.json, and the answers the integration tests recorded against it.

    check_openapi.py --spec api/openapi.json
        The document alone: OpenAPI 3.1, every $ref resolves, every schema is a valid
        JSON Schema 2020-12, path parameters match the templates, operation ids are unique.

    check_openapi.py --spec api/openapi.json --log responses.jsonl --min-responses N
        Also validates every recorded answer (one JSON object per line: method, route,
        status, content_type, headers, body, documented) against the response documented
        for (route, method, status): an undocumented route, method, status or media type
        is a failure, and so is a body or a documented header that does not match its
        schema, a log with fewer than N answers, or an operation never answered with 2xx
        (or 101, a WebSocket upgrade).

Exit status 0 when everything holds, 1 otherwise (each failure is printed).
"""

import argparse
import collections
import json
import sys

from jsonschema import Draft202012Validator

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_PRINTED = 60


def resolve_pointer(doc, ref):
    """The node a local reference ("#/a/b~1c") points to; KeyError if none."""
    if not ref.startswith("#"):
        raise KeyError(f"not a local reference: {ref}")
    node = doc
    for part in ref[1:].split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def deref(doc, node):
    """Follows $ref chains of OpenAPI objects (responses, parameters, headers)."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        if node["$ref"] in seen:
            raise KeyError(f"reference cycle at {node['$ref']}")
        seen.add(node["$ref"])
        node = resolve_pointer(doc, node["$ref"])
    return node


def walk(node, where="#"):
    """Yields (location, dict) for every object in the document."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{where}/{i}")


def media_schemas(doc):
    """Yields (location, schema) for every schema under a media type or a header."""
    for where, obj in walk(doc):
        if "schema" in obj and isinstance(obj["schema"], dict) and "/components/schemas" not in where:
            yield f"{where}/schema", obj["schema"]


def check_document(doc):
    errors = []
    if not str(doc.get("openapi", "")).startswith("3.1."):
        errors.append(f"openapi is {doc.get('openapi')!r}, expected 3.1.x")
    for key in ("title", "version"):
        if not doc.get("info", {}).get(key):
            errors.append(f"info.{key} is missing")

    for where, obj in walk(doc):
        ref = obj.get("$ref")
        if isinstance(ref, str):
            try:
                resolve_pointer(doc, ref)
            except (KeyError, IndexError, ValueError):
                errors.append(f"{where}: $ref {ref} does not resolve")

    components = doc.get("components", {})
    for name, schema in components.get("schemas", {}).items():
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as e:  # jsonschema.SchemaError
            errors.append(f"components.schemas.{name}: invalid schema: {e.message}")
    for where, schema in media_schemas(doc):
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as e:
            errors.append(f"{where}: invalid schema: {e.message}")

    schemes = components.get("securitySchemes", {})
    operation_ids = collections.Counter()
    for path, item in doc.get("paths", {}).items():
        template_params = {seg[1:-1] for seg in path.split("/") if seg.startswith("{") and seg.endswith("}")}
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            label = f"{method.upper()} {path}"
            operation_ids[op.get("operationId")] += 1
            if not op.get("responses"):
                errors.append(f"{label}: no responses")
            params = [deref(doc, p) for p in item.get("parameters", []) + op.get("parameters", [])]
            declared = {p["name"] for p in params if p.get("in") == "path"}
            if declared != template_params:
                errors.append(f"{label}: path parameters {sorted(declared)} do not match the template")
            for p in params:
                if p.get("in") == "path" and not p.get("required"):
                    errors.append(f"{label}: path parameter {p['name']} must be required")
            for requirement in op.get("security", doc.get("security", [])):
                for scheme in requirement:
                    if scheme not in schemes:
                        errors.append(f"{label}: unknown security scheme {scheme}")
            for status, response in op.get("responses", {}).items():
                response = deref(doc, response)
                if "description" not in response:
                    errors.append(f"{label} {status}: response without a description")
    for op_id, count in operation_ids.items():
        if op_id is None:
            errors.append("an operation has no operationId")
        elif count > 1:
            errors.append(f"operationId {op_id} is used {count} times")
    return errors


class ContractChecker:
    def __init__(self, doc):
        self.doc = doc
        self.validators = {}

    def validator(self, schema):
        """A validator for a schema taken from the document, whose local $refs resolve."""
        key = json.dumps(schema, sort_keys=True)
        if key not in self.validators:
            root = dict(schema)
            root["components"] = self.doc.get("components", {})
            self.validators[key] = Draft202012Validator(root)
        return self.validators[key]

    def schema_errors(self, schema, instance):
        return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                for e in self.validator(schema).iter_errors(instance)]

    def check(self, record):
        """The failures of one recorded answer (an empty list when it conforms)."""
        status = record["status"]
        content_type = record.get("content_type", "")
        body = record.get("body", "")
        headers = {k.lower(): v for k, v in record.get("headers", {}).items()}

        if not record.get("documented", True):
            # Deliberately off the API (unknown route, foreign method): a problem answer.
            if status < 400:
                return [f"an undocumented request answered {status}"]
            if content_type != "application/problem+json":
                return [f"content type {content_type!r}, expected application/problem+json"]
            return self.body_errors({"$ref": "#/components/schemas/Problem"}, body)

        item = self.doc["paths"].get(record["route"])
        if item is None:
            return [f"route {record['route']} is not documented"]
        op = item.get(record["method"].lower())
        if op is None:
            return [f"method {record['method']} is not documented for {record['route']}"]
        responses = op["responses"]
        response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        if response is None:
            return [f"status {status} is not documented (documented: {', '.join(sorted(responses))})"]
        response = deref(self.doc, response)

        failures = []
        for name, header in response.get("headers", {}).items():
            header = deref(self.doc, header)
            value = headers.get(name.lower())
            if value is None:
                if header.get("required"):
                    failures.append(f"header {name} is missing")
                continue
            if "schema" in header:
                failures += [f"header {name}: {e}" for e in self.schema_errors(header["schema"], value)]

        content = response.get("content")
        if not content:
            if body:
                failures.append("a body where none is documented")
            return failures
        media = content.get(content_type)
        if media is None:
            return failures + [f"content type {content_type!r} is not documented (documented: {', '.join(content)})"]
        return failures + self.body_errors(media.get("schema", {}), body)

    def body_errors(self, schema, body):
        try:
            instance = json.loads(body)
        except ValueError as e:
            return [f"body is not JSON: {e}"]
        return self.schema_errors(schema, instance)


def check_log(doc, log_path, min_responses):
    checker = ContractChecker(doc)
    failures = collections.defaultdict(list)  # message -> [records]
    seen = collections.Counter()
    succeeded = set()
    total = 0
    with open(log_path, encoding="utf-8") as log:
        for number, line in enumerate(log, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                failures[f"line {number} of the log is not JSON"].append({})
                continue
            total += 1
            key = (record["route"], record["method"].upper(), record["status"])
            seen[key] += 1
            # 101: a WebSocket upgrade (GET /ws) succeeded.
            if record.get("documented", True) and (200 <= record["status"] < 300 or record["status"] == 101):
                succeeded.add((record["route"], record["method"].lower()))
            for message in checker.check(record):
                failures[f"{record['method']} {record['route']} {record['status']}: {message}"].append(record)

    errors = []
    if total < min_responses:
        errors.append(f"the log holds {total} answers, fewer than the {min_responses} required")
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item and (path, method) not in succeeded:
                errors.append(f"{method.upper()} {path} was never answered with a 2xx in the log")
    for message, records in failures.items():
        example = records[0]
        where = f" (e.g. {example.get('test', '?')}: {example.get('path', '')} → {example.get('body', '')[:300]})" if example else ""
        errors.append(f"{message} [{len(records)}×]{where}")

    print(f"{total} answers checked against {len(doc['paths'])} documented paths")
    for (route, method, status), count in sorted(seen.items()):
        print(f"  {count:5d}  {method:6s} {route} {status}")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", required=True, help="the OpenAPI document (api/openapi.json)")
    parser.add_argument("--log", help="JSON lines of recorded answers (TASKFLOW_CONTRACT_LOG)")
    parser.add_argument("--min-responses", type=int, default=1, help="fail when the log holds fewer answers")
    args = parser.parse_args()

    with open(args.spec, encoding="utf-8") as f:
        doc = json.load(f)
    errors = check_document(doc)
    if not errors and args.log:
        try:
            errors = check_log(doc, args.log, args.min_responses)
        except FileNotFoundError:
            errors = [f"no log at {args.log}: did the integration tests run?"]
    for error in errors[:MAX_PRINTED]:
        print(f"FAIL {error}")
    if len(errors) > MAX_PRINTED:
        print(f"... and {len(errors) - MAX_PRINTED} more failures")
    if errors:
        print(f"{len(errors)} contract failures")
        return 1
    print("contract holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
