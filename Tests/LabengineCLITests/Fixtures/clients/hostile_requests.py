"""Requests a careless or hostile client sends: wrong credentials, bad signatures, skewed
clocks, malformed HTTP, unknown targets, oversized and invalid bodies. Each must get AWS's
error for it, and the endpoint must go on answering. Exits 1 on the first mismatch.
"""
import datetime
import io
import json
import os
import socket
import sys
import urllib.parse
import zipfile

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions

endpoint = os.environ["AWS_ENDPOINT_URL"]
host, port = urllib.parse.urlsplit(endpoint).hostname, urllib.parse.urlsplit(endpoint).port
key, secret = os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)
    print(f"ok: {what}")


def code_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, 200


def client(service, **credentials):
    return boto3.session.Session(**credentials).client(service)


# Credentials: an unknown key, a wrong secret, per protocol family.
unknown = dict(aws_access_key_id="AKIAUNKNOWNKEY000000", aws_secret_access_key=secret)
wrong = dict(aws_access_key_id=key, aws_secret_access_key="not-the-secret")
check(code_of(lambda: client("dynamodb", **unknown).list_tables()) == ("UnrecognizedClientException", 400), "JSON: unknown key")
check(code_of(lambda: client("dynamodb", **wrong).list_tables()) == ("InvalidSignatureException", 400), "JSON: wrong secret")
check(code_of(lambda: client("kinesis", **wrong).list_streams()) == ("InvalidSignatureException", 400), "Kinesis: wrong secret")
check(code_of(lambda: client("lambda", **unknown).list_functions()) == ("UnrecognizedClientException", 403), "REST: unknown key")
check(code_of(lambda: client("lambda", **wrong).list_functions()) == ("InvalidSignatureException", 403), "REST: wrong secret")
check(code_of(lambda: client("iam", **unknown).list_roles()) == ("InvalidClientTokenId", 403), "query: unknown key")
check(code_of(lambda: client("iam", **wrong).list_roles()) == ("SignatureDoesNotMatch", 403), "query: wrong secret")
check(code_of(lambda: client("sts", **wrong).get_caller_identity()) == ("SignatureDoesNotMatch", 403), "STS: wrong secret")


def signed(method, path, body, headers, service, when=None):
    """A request signed by botocore's own SigV4 signer, optionally at another time."""
    request = botocore.awsrequest.AWSRequest(method=method, url=endpoint + path, data=body, headers=headers)
    signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret), service, "us-west-2")
    saved = botocore.auth.get_current_datetime
    if when is not None:  # the signer reads the time through this function
        botocore.auth.get_current_datetime = lambda: when.replace(tzinfo=None)
    try:
        signer.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = saved
    return request.prepare()


def send(prepared):
    import urllib.request
    req = urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method=prepared.method)
    try:
        with urllib.request.urlopen(req) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


target = {"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"}
late = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
status, _, body = send(signed("POST", "/", b"{}", target, "dynamodb", when=late))
check(status == 400 and json.loads(body)["__type"].endswith("InvalidSignatureException") and b"Signature expired" in body,
      "a clock 20 minutes behind is refused as an expired signature")
status, _, body = send(signed("POST", "/", b"{}", target, "dynamodb"))
check(status == 200 and "TableNames" in json.loads(body), "the same request signed now is answered")
status, _, body = send(signed("POST", "/", b"{}", dict(target, **{"X-Amz-Target": "DynamoDB_20120810.DropEverything"}), "dynamodb"))
check(status == 400 and json.loads(body)["__type"].endswith("UnknownOperationException"), "an unknown operation")
status, _, body = send(signed("POST", "/", b"{}", dict(target, **{"X-Amz-Target": "Nope_2020.ListTables"}), "dynamodb"))
check(status == 400 and json.loads(body)["__type"] == "UnknownOperationException", "an unknown target prefix")
status, _, body = send(signed("POST", "/", b'{"TableName": ', dict(target, **{"X-Amz-Target": "DynamoDB_20120810.DescribeTable"}), "dynamodb"))
check(status == 400 and json.loads(body)["__type"].endswith("SerializationException"), "invalid JSON")
status, _, body = send(signed("POST", "/", b'{"TableName": 5}', dict(target, **{"X-Amz-Target": "DynamoDB_20120810.DescribeTable"}), "dynamodb"))
check(status == 400 and json.loads(body)["__type"].endswith("SerializationException"), "a number where a string belongs")
status, _, body = send(signed("POST", "/", b"{}", target, "kinesis"))
check(status == 400 and b"scoped to correct service" in body, "a signature for another service")
form = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
status, _, body = send(signed("POST", "/", b"Version=2010-05-08", form, "iam"))
check(status == 400 and b"<Code>MissingAction</Code>" in body, "a form without Action")
status, _, body = send(signed("POST", "/", b"Action=DropEverything&Version=2010-05-08", form, "iam"))
check(status == 400 and b"<Code>InvalidAction</Code>" in body, "a form with an unknown Action")
status, _, body = send(signed("POST", "/", b"Action=GetRole&Version=2010-05-08&RoleName=%ZZ%", form, "iam"))
check(status in (400, 404) and b"<ErrorResponse" in body, "a form with broken escapes gets an XML error")
status, _, body = send(signed("GET", "/2015-03-31/nothing-here", b"", {}, "lambda"))
check(status == 404 and json.loads(body)["Type"] == "User", "an unknown REST path")
status, headers, body = send(signed("POST", "/2015-03-31/functions/Nope/invocations", b"not json", {}, "lambda"))
check(status == 404 and headers.get("x-amzn-ErrorType") == "ResourceNotFoundException", "Invoke of a missing function")


# Over Lambda's 6 MB synchronous payload quota: RequestTooLargeException, HTTP 413.
trust = json.dumps({"Version": "2012-10-17", "Statement": []})
role = boto3.client("iam").create_role(RoleName="Big", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
lam = boto3.client("lambda")
package = io.BytesIO()
with zipfile.ZipFile(package, "w") as archive:
    archive.writestr("big.lua", "return function(event) return 1 end\n")
lam.create_function(FunctionName="Big", Role=role, Handler="big.handler", Code={"ZipFile": package.getvalue()})
try:
    lam.invoke(FunctionName="Big", Payload=json.dumps({"x": "a" * (7 * 1024 * 1024)}))
    check(False, "a 7 MB payload was accepted")
except lam.exceptions.RequestTooLargeException as error:
    check(error.response["ResponseMetadata"]["HTTPStatusCode"] == 413, "a 7 MB Invoke payload: RequestTooLargeException, 413")
check(json.loads(lam.invoke(FunctionName="Big", Payload=b"{}")["Payload"].read()) == 1, "a small payload to the same function runs")


def raw(data):
    """Bytes on a socket, the first response line back."""
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(data)
        reply = b""
        while b"\r\n" not in reply:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
        return reply.split(b"\r\n", 1)[0]


check(raw(b"\x00\x01garbage\r\n\r\n").startswith(b"HTTP/1.1 400"), "malformed HTTP gets 400")
check(raw(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n").startswith(b"HTTP/1.1 413"), "a body over the limit gets 413")
check(raw(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}").startswith(b"HTTP/1.1 404"), "no target, no form, no path: 404")
unsigned = raw(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 2\r\n\r\n{}")
check(unsigned.startswith(b"HTTP/1.1 403"), "an unsigned request gets 403 (MissingAuthenticationToken)")

# After all that, the endpoint still answers.
check("TableNames" in boto3.client("dynamodb").list_tables(), "the endpoint still answers")
print("all hostile requests answered")
