"""GetItem requests per second through boto3 against labengine's endpoint (make bench).

Run as `labengine run wire --labs Tests/LabengineCLITests/Fixtures/labs --exec 'python3 Benchmarks/wire/getitem.py'`.
It times boto3's whole round trip (serialize, sign, HTTP on loopback, parse), one client
per thread, and prints requests per second for 1 and 4 threads.
"""
import concurrent.futures
import time

import boto3

REQUESTS = 2000

setup = boto3.client("dynamodb")
setup.create_table(TableName="Bench", BillingMode="PAY_PER_REQUEST",
                   AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                   KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
setup.put_item(TableName="Bench", Item={"id": {"S": "k"}, "v": {"N": "1"}, "s": {"S": "some text"}})


def worker(count):
    client = boto3.session.Session().client("dynamodb")
    client.get_item(TableName="Bench", Key={"id": {"S": "k"}})  # connect and warm up
    start = time.perf_counter()
    for _ in range(count):
        client.get_item(TableName="Bench", Key={"id": {"S": "k"}})
    return time.perf_counter() - start


for threads in (1, 4):
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        began = time.perf_counter()
        list(pool.map(worker, [REQUESTS // threads] * threads))
        elapsed = time.perf_counter() - began
    print(f"GetItem over boto3, {threads} thread(s): {REQUESTS / elapsed:8.0f} requests/s ({REQUESTS} requests, {elapsed:.2f} s)")
