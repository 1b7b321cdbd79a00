"""Seeds a moto server for the live-audit tests.

Usage: seed.py ENDPOINT_URL CALLS_JSON, where CALLS_JSON is a list of
{"region": ..., "op": <boto3 ElastiCache method>, "args": {...}, "repeat": N}.
With "repeat", "{n}" in string arguments is replaced by 1..N. Credentials
are dummies: the endpoint is always the local emulator.
"""

import json
import sys

import boto3


def client(endpoint, region):
    return boto3.client(
        "elasticache",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def numbered(args, n):
    return {k: v.replace("{n}", str(n)) if isinstance(v, str) else v for k, v in args.items()}


def main():
    endpoint, calls = sys.argv[1], json.loads(sys.argv[2])
    for call in calls:
        method = getattr(client(endpoint, call["region"]), call["op"])
        repeat = call.get("repeat")
        if repeat is None:
            method(**call["args"])
        else:
            for n in range(1, repeat + 1):
                method(**numbered(call["args"], n))


if __name__ == "__main__":
    main()
