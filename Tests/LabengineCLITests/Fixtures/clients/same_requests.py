"""The differential test's requests through boto3; same_requests.lua makes them through
labengine's Lua API. Both print each response as `RESULT name JSON`."""
import io
import json
import zipfile

import boto3
import botocore.exceptions

ddb, kinesis, iam, lam = (boto3.client(s) for s in ("dynamodb", "kinesis", "iam", "lambda"))


def result(name, value):
    print("RESULT", name, json.dumps(value, sort_keys=True, separators=(",", ":")))


def failure(name, call, **request):
    try:
        call(**request)
        result(name, {"ok": True})
    except botocore.exceptions.ClientError as error:
        result(name, {"code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]})


ddb.create_table(TableName="Same", BillingMode="PAY_PER_REQUEST",
                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
for i in range(1, 4):
    ddb.put_item(TableName="Same", Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i * 10)}, "b": {"B": b"\0\1\2" + str(i).encode()},
                                         "tags": {"SS": ["a", f"b{i}"]},
                                         "nested": {"M": {"list": {"L": [{"N": "1"}, {"S": "two"}, {"BOOL": True}, {"NULL": True}]}}}})
update = ddb.update_item(TableName="Same", Key={"pk": {"S": "k1"}}, UpdateExpression="ADD n :d SET note = :t",
                         ExpressionAttributeValues={":d": {"N": "5"}, ":t": {"S": "hi"}}, ReturnValues="UPDATED_NEW")
result("update", {k: v for k, v in update.items() if k != "ResponseMetadata"})
failure("conditional", ddb.put_item, TableName="Same", Item={"pk": {"S": "k2"}}, ConditionExpression="attribute_not_exists(pk)")
failure("validation", ddb.update_item, TableName="Same", Key={"pk": {"S": "k2"}}, UpdateExpression="SET #missing = :v",
        ExpressionAttributeValues={":v": {"N": "1"}})
got = ddb.get_item(TableName="Same", Key={"pk": {"S": "k3"}}, ProjectionExpression="pk, n, tags")
result("get", {k: v for k, v in got.items() if k != "ResponseMetadata"})
result("scan", ddb.scan(TableName="Same", FilterExpression="n > :x", ExpressionAttributeValues={":x": {"N": "15"}}, ProjectionExpression="pk")["Count"])
ddb.transact_write_items(TransactItems=[{"Put": {"TableName": "Same", "Item": {"pk": {"S": "t1"}}}},
                                        {"Delete": {"TableName": "Same", "Key": {"pk": {"S": "k2"}}}}])
result("delete", ddb.delete_item(TableName="Same", Key={"pk": {"S": "k3"}}, ReturnValues="ALL_OLD")["Attributes"]["pk"])

kinesis.create_stream(StreamName="SameStream", ShardCount=2)
put = kinesis.put_record(StreamName="SameStream", Data=b"first", PartitionKey="p")
result("put_record", {"ShardId": put["ShardId"], "SequenceNumber": put["SequenceNumber"]})
result("put_records", kinesis.put_records(StreamName="SameStream", Records=[
    {"Data": b"x", "PartitionKey": "a"}, {"Data": b"y", "PartitionKey": "b"}])["FailedRecordCount"])

trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
role = iam.create_role(RoleName="SameRole", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
iam.put_role_policy(RoleName="SameRole", PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kinesis:*", "dynamodb:*"], "Resource": "*"}]}))
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as archive:
    archive.writestr("same.lua", "return { handler = function(event) for _, r in ipairs(event.Records or {}) do aws.dynamodb.put_item{ TableName = 'Same', Item = { pk = { S = 'rec-' .. base64.decode(r.kinesis.data) } } } end return { seen = #(event.Records or {}) } end }")
lam.create_function(FunctionName="SameFn", Role=role, Runtime="provided.al2023", Handler="same.handler", Code={"ZipFile": buffer.getvalue()})
invoked = lam.invoke(FunctionName="SameFn", Payload=json.dumps({"Records": []}))
result("invoke", {"StatusCode": invoked["StatusCode"], "Payload": json.loads(invoked["Payload"].read())})
lam.create_event_source_mapping(FunctionName="SameFn", EventSourceArn="arn:aws:kinesis:us-west-2:123456789012:stream/SameStream",
                                StartingPosition="TRIM_HORIZON", BatchSize=10)
result("roles", len(iam.list_roles()["Roles"]))
