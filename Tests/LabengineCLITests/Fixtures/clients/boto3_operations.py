"""Every operation the simulated account implements, called once or more through boto3.

Run by the CLI tests as `labengine run hello --exec 'python3 boto3_operations.py'`. Each
response must parse (botocore's parsers read it), each provoked error must map to the
exception class botocore builds from AWS's model (or the code AWS uses). It prints the
operations it called, as `covered: service.Operation`, and exits 1 on the first mismatch.
"""
import base64
import io
import json
import sys
import time
import zipfile

import boto3
import botocore.exceptions

session = boto3.session.Session()
covered = set()


def record(model, **_):
    covered.add(f"{model.service_model.service_name}.{model.name}")


session.events.register("before-call", record)
client = session.client
ddb, streams, kinesis, iam = client("dynamodb"), client("dynamodbstreams"), client("kinesis"), client("iam")
lam, logs, events, sts = client("lambda"), client("logs"), client("events"), client("sts")
sqs, sns = client("sqs"), client("sns")


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)


def expect_error(call, kwargs, exception=None, code=None, status=None):
    """The call fails with the modelled exception class (or the wire code)."""
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as error:
        got = error.response["Error"]["Code"]
        if exception is not None:
            check(isinstance(error, exception), f"{call.__name__}: expected {exception.__name__}, got {type(error).__name__} ({got})")
        if code is not None:
            check(got == code, f"{call.__name__}: expected code {code}, got {got}")
        if status is not None:
            got_status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            check(got_status == status, f"{call.__name__}: expected HTTP {status}, got {got_status}")
        return error
    check(False, f"{call.__name__}: expected an error, it succeeded")


# STS
me = sts.get_caller_identity()
check(me["Account"] == "123456789012", "GetCallerIdentity names the account")

# DynamoDB
ddb.create_table(
    TableName="Tab", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    BillingMode="PAY_PER_REQUEST", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
expect_error(ddb.create_table, dict(
    TableName="Tab", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST"),
    exception=ddb.exceptions.ResourceInUseException)
table = ddb.describe_table(TableName="Tab")["Table"]
check(table["TableStatus"] == "ACTIVE" and table["CreationDateTime"].year >= 2024, "DescribeTable parses, with a date")
check("Tab" in ddb.list_tables()["TableNames"], "ListTables lists Tab")
ddb.update_table(TableName="Tab", BillingMode="PAY_PER_REQUEST")
ddb.put_item(TableName="Tab", Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "blob": {"B": b"\x00\xffbytes"}, "n": {"N": "5"}})
item = ddb.get_item(TableName="Tab", Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]
check(item["blob"]["B"] == b"\x00\xffbytes", "a binary attribute comes back as the same bytes")
expect_error(ddb.put_item, dict(TableName="Tab", Item={"pk": {"S": "a"}, "sk": {"N": "1"}}, ConditionExpression="attribute_not_exists(pk)"),
             exception=ddb.exceptions.ConditionalCheckFailedException, status=400)
expect_error(ddb.get_item, dict(TableName="Missing", Key={"pk": {"S": "a"}}), exception=ddb.exceptions.ResourceNotFoundException)
expect_error(ddb.query, dict(TableName="Tab", KeyConditionExpression="pk = :v"), code="ValidationException")
updated = ddb.update_item(TableName="Tab", Key={"pk": {"S": "a"}, "sk": {"N": "1"}}, UpdateExpression="ADD n :one",
                          ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="ALL_NEW")["Attributes"]
check(updated["n"]["N"] == "6", "UpdateItem returns the new attributes")
got = ddb.query(TableName="Tab", KeyConditionExpression="pk = :v", ExpressionAttributeValues={":v": {"S": "a"}})
check(got["Count"] == 1, "Query finds the item")
check(ddb.scan(TableName="Tab")["Count"] == 1, "Scan finds the item")
ddb.batch_write_item(RequestItems={"Tab": [{"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": str(i)}}}} for i in range(3)]})
batch = ddb.batch_get_item(RequestItems={"Tab": {"Keys": [{"pk": {"S": "b"}, "sk": {"N": "0"}}, {"pk": {"S": "b"}, "sk": {"N": "2"}}]}})
check(len(batch["Responses"]["Tab"]) == 2, "BatchGetItem returns both items")
ddb.transact_write_items(TransactItems=[
    {"Put": {"TableName": "Tab", "Item": {"pk": {"S": "c"}, "sk": {"N": "1"}}}},
    {"Update": {"TableName": "Tab", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "UpdateExpression": "SET n = :z",
                "ExpressionAttributeValues": {":z": {"N": "0"}}}},
], ClientRequestToken="token-1")
error = expect_error(ddb.transact_write_items, dict(TransactItems=[
    {"ConditionCheck": {"TableName": "Tab", "Key": {"pk": {"S": "zz"}, "sk": {"N": "1"}}, "ConditionExpression": "attribute_exists(pk)"}},
]), exception=ddb.exceptions.TransactionCanceledException)
check(error.response["CancellationReasons"][0]["Code"] == "ConditionalCheckFailed", "cancellation reasons travel with the error")
pair = ddb.transact_get_items(TransactItems=[{"Get": {"TableName": "Tab", "Key": {"pk": {"S": "c"}, "sk": {"N": "1"}}}}])
check(pair["Responses"][0]["Item"]["pk"]["S"] == "c", "TransactGetItems reads the item")
ddb.delete_item(TableName="Tab", Key={"pk": {"S": "c"}, "sk": {"N": "1"}})

# DynamoDB's expression texts (#10 item 7) reach boto3 as ValidationException.
error = expect_error(ddb.update_item, dict(TableName="Tab", Key={"pk": {"S": "a"}, "sk": {"N": "1"}}, UpdateExpression="REMOVE nope.child"),
                     code="ValidationException")
check(error.response["Error"]["Message"] == "The document path provided in the update expression is invalid for update", "REMOVE's text")
error = expect_error(ddb.update_item, dict(TableName="Tab", Key={"pk": {"S": "a"}, "sk": {"N": "1"}}, UpdateExpression="SET #x = :v",
                     ExpressionAttributeValues={":v": {"N": "1"}}), code="ValidationException")
check(error.response["Error"]["Message"].startswith("Invalid UpdateExpression: An expression attribute name used in the document path is not defined"),
      "an undefined name is named with its expression")

# A stream disabled and enabled again is a new stream; the old one stays listed and readable (#10 item 6).
ddb.create_table(TableName="Again", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                 KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
                 StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
first_stream = ddb.describe_table(TableName="Again")["Table"]["LatestStreamArn"]
ddb.update_table(TableName="Again", StreamSpecification={"StreamEnabled": False})
ddb.update_table(TableName="Again", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
second_stream = ddb.describe_table(TableName="Again")["Table"]["LatestStreamArn"]
listed = [s["StreamArn"] for s in streams.list_streams(TableName="Again")["Streams"]]
check(second_stream != first_stream and listed == [first_stream, second_stream], "re-enabling makes a new stream, each listed once")
check(streams.describe_stream(StreamArn=first_stream)["StreamDescription"]["StreamStatus"] == "DISABLED", "the old stream is DISABLED")
ddb.delete_table(TableName="Again")

# DynamoDB Streams
stream_arn = streams.list_streams(TableName="Tab")["Streams"][0]["StreamArn"]
described = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]
shard = described["Shards"][0]["ShardId"]
iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
records = streams.get_records(ShardIterator=iterator)["Records"]
check(len(records) >= 1 and records[0]["eventName"] == "INSERT", "the stream holds the first write as INSERT")
check(records[0]["dynamodb"]["ApproximateCreationDateTime"].year >= 2024, "stream records carry Unix times")
expect_error(streams.describe_stream, dict(StreamArn=stream_arn + "x"), exception=streams.exceptions.ResourceNotFoundException)

# Kinesis
kinesis.create_stream(StreamName="S", ShardCount=2)
expect_error(kinesis.create_stream, dict(StreamName="S", ShardCount=1), exception=kinesis.exceptions.ResourceInUseException)
summary = kinesis.describe_stream_summary(StreamName="S")["StreamDescriptionSummary"]
check(summary["OpenShardCount"] == 2, "DescribeStreamSummary counts the shards")
check(kinesis.describe_stream(StreamName="S")["StreamDescription"]["StreamStatus"] == "ACTIVE", "DescribeStream parses")
check("S" in kinesis.list_streams()["StreamNames"], "ListStreams lists S")
shards = kinesis.list_shards(StreamName="S")["Shards"]
put = kinesis.put_record(StreamName="S", Data=b"hello \x00 world", PartitionKey="k1")
kinesis.put_records(StreamName="S", Records=[{"Data": b"r%d" % i, "PartitionKey": "p%d" % i} for i in range(5)])
it = kinesis.get_shard_iterator(StreamName="S", ShardId=put["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
got = kinesis.get_records(ShardIterator=it)["Records"]
check(any(r["Data"] == b"hello \x00 world" for r in got), "a Kinesis record's bytes come back as sent")
check(got[0]["ApproximateArrivalTimestamp"].year >= 2024, "Kinesis records carry Unix arrival times")
kinesis.increase_stream_retention_period(StreamName="S", RetentionPeriodHours=48)
kinesis.decrease_stream_retention_period(StreamName="S", RetentionPeriodHours=24)
expect_error(kinesis.get_shard_iterator, dict(StreamName="Nope", ShardId="shardId-000000000000", ShardIteratorType="LATEST"),
             exception=kinesis.exceptions.ResourceNotFoundException)
kinesis.create_stream(StreamName="Gone", ShardCount=1)
kinesis.delete_stream(StreamName="Gone")

# IAM
trust = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
role = iam.create_role(RoleName="R", AssumeRolePolicyDocument=trust)["Role"]
check(role["Arn"] == "arn:aws:iam::123456789012:role/R" and role["CreateDate"].year >= 2024, "CreateRole parses, with a date")
expect_error(iam.create_role, dict(RoleName="R", AssumeRolePolicyDocument=trust), exception=iam.exceptions.EntityAlreadyExistsException, status=409)
expect_error(iam.get_role, dict(RoleName="Nobody"), exception=iam.exceptions.NoSuchEntityException, status=404)
check(iam.get_role(RoleName="R")["Role"]["RoleName"] == "R", "GetRole parses")
check("R" in [r["RoleName"] for r in iam.list_roles()["Roles"]], "ListRoles lists R")
allow_all = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["dynamodb:*", "kinesis:*", "logs:*"], "Resource": "*"}]})
policy_arn = iam.create_policy(PolicyName="P", PolicyDocument=allow_all)["Policy"]["Arn"]
expect_error(iam.create_policy, dict(PolicyName="Bad", PolicyDocument="{not json"), exception=iam.exceptions.MalformedPolicyDocumentException)
check(iam.get_policy(PolicyArn=policy_arn)["Policy"]["DefaultVersionId"] == "v1", "GetPolicy parses")
check("P" in [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]], "ListPolicies lists P")
# AWS managed policies (#10 item 5), as botocore parses them.
kinesis_role = "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole"
managed = iam.get_policy(PolicyArn=kinesis_role)["Policy"]
check(managed["Path"] == "/service-role/" and managed["DefaultVersionId"] == "v2", "an AWS managed policy has AWS's path and version")
managed_document = iam.get_policy_version(PolicyArn=kinesis_role, VersionId="v2")["PolicyVersion"]["Document"]
check("kinesis:SubscribeToShard" in managed_document["Statement"][0]["Action"], "its document is AWS's")
aws_scope = {p["PolicyName"] for p in iam.list_policies(Scope="AWS")["Policies"]}
check("AdministratorAccess" in aws_scope and "P" not in aws_scope, "Scope=AWS lists only AWS's policies")
iam.create_policy_version(PolicyArn=policy_arn, PolicyDocument=allow_all, SetAsDefault=False)
versions = iam.list_policy_versions(PolicyArn=policy_arn)["Versions"]
check(len(versions) == 2, "two versions")
document = iam.get_policy_version(PolicyArn=policy_arn, VersionId="v2")["PolicyVersion"]["Document"]
check(isinstance(document, dict) and document["Statement"][0]["Effect"] == "Allow", "boto3 decodes the policy document")
iam.set_default_policy_version(PolicyArn=policy_arn, VersionId="v2")
iam.delete_policy_version(PolicyArn=policy_arn, VersionId="v1")
iam.attach_role_policy(RoleName="R", PolicyArn=policy_arn)
check(iam.list_attached_role_policies(RoleName="R")["AttachedPolicies"][0]["PolicyArn"] == policy_arn, "the policy is attached")
iam.put_role_policy(RoleName="R", PolicyName="inline", PolicyDocument=allow_all)
check(iam.get_role_policy(RoleName="R", PolicyName="inline")["PolicyName"] == "inline", "GetRolePolicy parses")
check(iam.list_role_policies(RoleName="R")["PolicyNames"] == ["inline"], "ListRolePolicies lists the inline policy")
simulated = iam.simulate_principal_policy(PolicySourceArn=role["Arn"], ActionNames=["dynamodb:GetItem"], ResourceArns=["*"])
check(simulated["EvaluationResults"][0]["EvalDecision"] == "allowed", "SimulatePrincipalPolicy allows what the policy allows")

# Lambda, with a zip of Lua files
def package(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


code = package({
    "app.lua": 'local util = require("lib.util")\nreturn { handler = function(event, context) print("got " .. tostring(event.n)) return { doubled = util.double(event.n or 0) } end }\n',
    "lib/util.lua": "return { double = function(n) return n * 2 end }\n",
})
fn = lam.create_function(FunctionName="F", Role=role["Arn"], Runtime="provided.al2023", Handler="app.handler", Code={"ZipFile": code}, Timeout=10)
check(fn["CodeSize"] == len(code) and fn["LastModified"].startswith("20"), "CreateFunction reports the zip's size and an ISO date")
expect_error(lam.create_function, dict(FunctionName="F", Role=role["Arn"], Handler="app.handler", Code={"ZipFile": code}),
             exception=lam.exceptions.ResourceConflictException, status=409)
expect_error(lam.create_function, dict(FunctionName="G", Role=role["Arn"], Handler="app.handler", Code={"ZipFile": b"not a zip"}),
             exception=lam.exceptions.InvalidParameterValueException, status=400)
out = lam.invoke(FunctionName="F", Payload=json.dumps({"n": 21}))
check(out["StatusCode"] == 200 and json.loads(out["Payload"].read()) == {"doubled": 42}, "Invoke runs the zip's handler and its require")
tailed = lam.invoke(FunctionName="F", Payload=json.dumps({"n": 2}), LogType="Tail")
log = base64.b64decode(tailed["LogResult"]).decode()
check("got 2" in log and "REPORT RequestId" in log, "LogType Tail returns the invocation's log in the X-Amz-Log-Result header")
check(lam.invoke(FunctionName="F", InvocationType="Event", Payload=b"{}")["StatusCode"] == 202, "an Event invocation is accepted")
expect_error(lam.invoke, dict(FunctionName="Nope"), exception=lam.exceptions.ResourceNotFoundException, status=404)
check(lam.get_function(FunctionName="F")["Configuration"]["Handler"] == "app.handler", "GetFunction parses")
check(lam.get_function_configuration(FunctionName="F")["Runtime"] == "provided.al2023", "GetFunctionConfiguration parses")
check("F" in [f["FunctionName"] for f in lam.list_functions()["Functions"]], "ListFunctions lists F")
broken = package({"app.lua": "return { handler = function(event) error('boom') end }\n"})
lam.update_function_code(FunctionName="F", ZipFile=broken)
failed = lam.invoke(FunctionName="F", Payload=b"{}")
check(failed.get("FunctionError") == "Unhandled" and b"boom" in failed["Payload"].read(), "a raised error is a FunctionError")
lam.update_function_code(FunctionName="F", ZipFile=code)
lam.update_function_configuration(FunctionName="F", Timeout=20, Environment={"Variables": {"MODE": "test"}})
lam.put_function_concurrency(FunctionName="F", ReservedConcurrentExecutions=2)
check(lam.get_function_concurrency(FunctionName="F")["ReservedConcurrentExecutions"] == 2, "GetFunctionConcurrency parses")
lam.delete_function_concurrency(FunctionName="F")
mapping = lam.create_event_source_mapping(FunctionName="F", EventSourceArn=stream_arn, StartingPosition="LATEST", BatchSize=10)
check(mapping["State"] in ("Creating", "Enabled"), "CreateEventSourceMapping parses")
check(lam.get_event_source_mapping(UUID=mapping["UUID"])["BatchSize"] == 10, "GetEventSourceMapping parses")
check(len(lam.list_event_source_mappings(FunctionName="F")["EventSourceMappings"]) == 1, "ListEventSourceMappings lists it")
# A mapping being created, or updated, refuses another update (ResourceInUseException,
# https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html#API_UpdateEventSourceMapping_Errors);
# a script waits for it, and time.sleep lets the run's virtual time pass, not the wall's.
expect_error(lam.update_event_source_mapping, dict(UUID=mapping["UUID"], BatchSize=20),
             exception=lam.exceptions.ResourceInUseException, status=400)


def settled(uuid):
    polls = 0
    while lam.get_event_source_mapping(UUID=uuid)["State"] not in ("Enabled", "Disabled"):
        time.sleep(0.25)
        polls += 1
    return polls


check(settled(mapping["UUID"]) == 4, "Creating lasts one virtual second: four sleeps of 0.25 s")
check(lam.update_event_source_mapping(UUID=mapping["UUID"], BatchSize=20)["State"] == "Updating", "an update shows Updating")
expect_error(lam.delete_event_source_mapping, dict(UUID=mapping["UUID"]), exception=lam.exceptions.ResourceInUseException)
settled(mapping["UUID"])
# DestinationConfig and TumblingWindowInSeconds are echoed (#10 item 2); the queue must exist.
failed_url = sqs.create_queue(QueueName="failed")["QueueUrl"]
iam.put_role_policy(RoleName="R", PolicyName="to-queue", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-west-2:123456789012:failed"}]}))
settled(mapping["UUID"])
updated = lam.update_event_source_mapping(UUID=mapping["UUID"], TumblingWindowInSeconds=60,
    DestinationConfig={"OnFailure": {"Destination": "arn:aws:sqs:us-west-2:123456789012:failed"}})
check(updated["TumblingWindowInSeconds"] == 60 and updated["DestinationConfig"]["OnFailure"]["Destination"].endswith(":failed"),
      "UpdateEventSourceMapping echoes the destination and the window")
expect_error(lam.get_event_source_mapping, dict(UUID="00000000-0000-0000-0000-000000000000"),
             exception=lam.exceptions.ResourceNotFoundException, status=404)
settled(mapping["UUID"])
lam.delete_event_source_mapping(UUID=mapping["UUID"])

# CloudWatch Logs: the invocations above logged
check(any(g["logGroupName"] == "/aws/lambda/F" for g in logs.describe_log_groups()["logGroups"]), "the function has a log group")
check(len(logs.describe_log_streams(logGroupName="/aws/lambda/F")["logStreams"]) >= 1, "the group has a stream")
found = logs.filter_log_events(logGroupName="/aws/lambda/F", filterPattern="got")["events"]
check(any("got 21" in e["message"] for e in found) and found[0]["timestamp"] > 1_700_000_000_000, "the print is logged with a Unix time in ms")
expect_error(logs.filter_log_events, dict(logGroupName="/nope"), exception=logs.exceptions.ResourceNotFoundException)

# EventBridge
events.put_rule(Name="Every", ScheduleExpression="rate(5 minutes)")
check(events.describe_rule(Name="Every")["ScheduleExpression"] == "rate(5 minutes)", "DescribeRule parses")
check(any(r["Name"] == "Every" for r in events.list_rules()["Rules"]), "ListRules lists it")
events.put_targets(Rule="Every", Targets=[{"Id": "f", "Arn": fn["FunctionArn"]}])
check(events.list_targets_by_rule(Rule="Every")["Targets"][0]["Id"] == "f", "ListTargetsByRule parses")
events.remove_targets(Rule="Every", Ids=["f"])
events.delete_rule(Name="Every")
expect_error(events.describe_rule, dict(Name="Every"), exception=events.exceptions.ResourceNotFoundException)

# SQS (awsJson 1.0; errors carry the query protocol's codes in x-amzn-query-error)
dlq_url = sqs.create_queue(QueueName="dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
q_url = sqs.create_queue(QueueName="work", Attributes={"VisibilityTimeout": "0",
    "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})["QueueUrl"]
check(sqs.get_queue_url(QueueName="work")["QueueUrl"] == q_url, "GetQueueUrl finds the queue")
sqs.set_queue_attributes(QueueUrl=q_url, Attributes={"DelaySeconds": "0"})
check("work" in " ".join(sqs.list_queues(QueueNamePrefix="wo").get("QueueUrls", [])), "ListQueues lists it")
sent = sqs.send_message(QueueUrl=q_url, MessageBody="hello", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
check(sent["MD5OfMessageBody"] == "5d41402abc4b2a76b9719d911017c592", "SendMessage's body digest")
batch = sqs.send_message_batch(QueueUrl=q_url, Entries=[{"Id": "a", "MessageBody": "one"}, {"Id": "b", "MessageBody": "two"}])
check(len(batch["Successful"]) == 2, "SendMessageBatch sends both")
got = sqs.receive_message(QueueUrl=q_url, MaxNumberOfMessages=10, VisibilityTimeout=30, MessageAttributeNames=["All"],
                          MessageSystemAttributeNames=["All"])["Messages"]
check(len(got) == 3 and got[0]["MessageAttributes"]["k"]["StringValue"] == "v", "ReceiveMessage returns the messages and attributes")
sqs.change_message_visibility(QueueUrl=q_url, ReceiptHandle=got[0]["ReceiptHandle"], VisibilityTimeout=60)
sqs.change_message_visibility_batch(QueueUrl=q_url, Entries=[{"Id": "x", "ReceiptHandle": got[1]["ReceiptHandle"], "VisibilityTimeout": 60}])
sqs.delete_message(QueueUrl=q_url, ReceiptHandle=got[0]["ReceiptHandle"])
deleted = sqs.delete_message_batch(QueueUrl=q_url, Entries=[{"Id": "y", "ReceiptHandle": got[1]["ReceiptHandle"]}])
check(len(deleted["Successful"]) == 1, "DeleteMessageBatch deletes")
sqs.change_message_visibility(QueueUrl=q_url, ReceiptHandle=got[2]["ReceiptHandle"], VisibilityTimeout=0)
# The third message was received once with maxReceiveCount 1: the next receive moves it.
check("Messages" not in sqs.receive_message(QueueUrl=q_url), "past maxReceiveCount the message leaves the queue")
moved = sqs.receive_message(QueueUrl=dlq_url, MessageSystemAttributeNames=["DeadLetterQueueSourceArn"])["Messages"]
check(moved[0]["Attributes"]["DeadLetterQueueSourceArn"].endswith(":work"), "the dead-letter queue names its source")
sqs.purge_queue(QueueUrl=dlq_url)
error = expect_error(sqs.purge_queue, dict(QueueUrl=dlq_url), exception=sqs.exceptions.PurgeQueueInProgress)
check(error.response["Error"]["Code"] == "AWS.SimpleQueueService.PurgeQueueInProgress", "the query-compatible code")
error = expect_error(sqs.get_queue_url, dict(QueueName="nope"), exception=sqs.exceptions.QueueDoesNotExist)
check(error.response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist's code is the legacy one")
expect_error(sqs.receive_message, dict(QueueUrl=q_url, MaxNumberOfMessages=11), code="InvalidParameterValue")
# An SQS trigger: the queue-only fields parse, a stream-only one is refused.
trigger_url = sqs.create_queue(QueueName="trigger")["QueueUrl"]
trigger_arn = sqs.get_queue_attributes(QueueUrl=trigger_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
iam.put_role_policy(RoleName="R", PolicyName="from-queue", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], "Resource": trigger_arn}]}))
queue_mapping = lam.create_event_source_mapping(FunctionName="F", EventSourceArn=trigger_arn, BatchSize=5,
                                                ScalingConfig={"MaximumConcurrency": 2})
check(queue_mapping["ScalingConfig"]["MaximumConcurrency"] == 2 and "StartingPosition" not in queue_mapping, "an SQS trigger parses")
settled(queue_mapping["UUID"])
expect_error(lam.update_event_source_mapping, dict(UUID=queue_mapping["UUID"], MaximumRetryAttempts=1),
             exception=lam.exceptions.InvalidParameterValueException)
lam.delete_event_source_mapping(UUID=queue_mapping["UUID"])
# SNS: a topic delivering to a queue (whose policy lets the topic send) and to a function
# (whose policy lets SNS invoke it); asynchronous invocation's config and destinations.
topic_arn = sns.create_topic(Name="news", Attributes={"DisplayName": "News"})["TopicArn"]
check(sns.create_topic(Name="news")["TopicArn"] == topic_arn, "CreateTopic is idempotent")
check(any(t["TopicArn"] == topic_arn for t in sns.list_topics()["Topics"]), "ListTopics lists it")
sns.set_topic_attributes(TopicArn=topic_arn, AttributeName="DisplayName", AttributeValue="The news")
check(sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]["DisplayName"] == "The news", "GetTopicAttributes parses")
inbox_url = sqs.create_queue(QueueName="inbox")["QueueUrl"]
inbox_arn = "arn:aws:sqs:us-west-2:123456789012:inbox"
sqs.set_queue_attributes(QueueUrl=inbox_url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": inbox_arn,
     "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]})})
to_queue = sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=inbox_arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
sns.set_subscription_attributes(SubscriptionArn=to_queue, AttributeName="RawMessageDelivery", AttributeValue="true")
check(sns.get_subscription_attributes(SubscriptionArn=to_queue)["Attributes"]["RawMessageDelivery"] == "true", "GetSubscriptionAttributes parses")
published = sns.publish(TopicArn=topic_arn, Message="breaking", MessageAttributes={"kind": {"DataType": "String", "StringValue": "alert"}})
check(len(published["MessageId"]) == 36, "Publish returns a message ID")
batch = sns.publish_batch(TopicArn=topic_arn, PublishBatchRequestEntries=[{"Id": "a", "Message": "one"}, {"Id": "b", "Message": "two"}])
check([e["Id"] for e in batch["Successful"]] == ["a", "b"] and batch.get("Failed", []) == [], "PublishBatch parses")
got = sqs.receive_message(QueueUrl=inbox_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])["Messages"]
check([m["Body"] for m in got] == ["breaking", "one", "two"] and got[0]["MessageAttributes"]["kind"]["StringValue"] == "alert",
      "raw delivery passes the message and its attributes to the queue")
expect_error(sns.publish, dict(TopicArn=topic_arn + "-missing", Message="x"), exception=sns.exceptions.NotFoundException, status=404)
expect_error(sns.subscribe, dict(TopicArn=topic_arn, Protocol="email", Endpoint="a@example.com"),
             exception=sns.exceptions.InvalidParameterException, status=400)
lam.add_permission(FunctionName="F", StatementId="from-news", Action="lambda:InvokeFunction", Principal="sns.amazonaws.com", SourceArn=topic_arn)
check(json.loads(lam.get_policy(FunctionName="F")["Policy"])["Statement"][0]["Sid"] == "from-news", "GetPolicy shows the statement")
to_function = sns.subscribe(TopicArn=topic_arn, Protocol="lambda", Endpoint=fn["FunctionArn"])["SubscriptionArn"]
check({s["Protocol"] for s in sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]} == {"sqs", "lambda"},
      "ListSubscriptionsByTopic lists both")
check(len(sns.list_subscriptions()["Subscriptions"]) == 2, "ListSubscriptions lists both")
sns.unsubscribe(SubscriptionArn=to_function)
lam.remove_permission(FunctionName="F", StatementId="from-news")
expect_error(lam.get_policy, dict(FunctionName="F"), exception=lam.exceptions.ResourceNotFoundException, status=404)
iam.put_role_policy(RoleName="R", PolicyName="to-topic", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sns:Publish", "Resource": topic_arn}]}))
config = lam.put_function_event_invoke_config(FunctionName="F", MaximumRetryAttempts=1,
                                              DestinationConfig={"OnFailure": {"Destination": topic_arn}})
check(config["MaximumRetryAttempts"] == 1 and config["DestinationConfig"]["OnFailure"]["Destination"] == topic_arn,
      "PutFunctionEventInvokeConfig parses")
lam.update_function_event_invoke_config(FunctionName="F", MaximumEventAgeInSeconds=300)
got_config = lam.get_function_event_invoke_config(FunctionName="F")
check(got_config["MaximumEventAgeInSeconds"] == 300 and got_config["MaximumRetryAttempts"] == 1, "UpdateFunctionEventInvokeConfig merges")
check(len(lam.list_function_event_invoke_configs(FunctionName="F")["FunctionEventInvokeConfigs"]) == 1, "ListFunctionEventInvokeConfigs lists it")
expect_error(lam.put_function_event_invoke_config, dict(FunctionName="F", MaximumRetryAttempts=5), code="ValidationException")
lam.delete_function_event_invoke_config(FunctionName="F")
expect_error(lam.get_function_event_invoke_config, dict(FunctionName="F"), exception=lam.exceptions.ResourceNotFoundException)
sns.delete_topic(TopicArn=topic_arn)
sqs.delete_queue(QueueUrl=inbox_url)
sqs.delete_queue(QueueUrl=trigger_url)
sqs.delete_queue(QueueUrl=q_url)
sqs.delete_queue(QueueUrl=dlq_url)
sqs.delete_queue(QueueUrl=failed_url)

# Clean-up operations last
lam.delete_function(FunctionName="F")
iam.delete_role_policy(RoleName="R", PolicyName="inline")
iam.delete_role_policy(RoleName="R", PolicyName="to-queue")
iam.delete_role_policy(RoleName="R", PolicyName="to-topic")
iam.delete_role_policy(RoleName="R", PolicyName="from-queue")
iam.detach_role_policy(RoleName="R", PolicyArn=policy_arn)
iam.delete_policy(PolicyArn=policy_arn)
iam.delete_role(RoleName="R")
ddb.delete_table(TableName="Tab")

# Every operation that names a resource, on one that does not exist: the error must be one
# the operation's model lists, so botocore raises its modelled exception class.
MISSING = "arn:aws:lambda:us-west-2:123456789012:function:Missing"
missing_calls = [
    (ddb, "describe_table", dict(TableName="Missing")), (ddb, "update_table", dict(TableName="Missing", BillingMode="PAY_PER_REQUEST")),
    (ddb, "delete_table", dict(TableName="Missing")), (ddb, "put_item", dict(TableName="Missing", Item={"pk": {"S": "a"}})),
    (ddb, "get_item", dict(TableName="Missing", Key={"pk": {"S": "a"}})), (ddb, "delete_item", dict(TableName="Missing", Key={"pk": {"S": "a"}})),
    (ddb, "update_item", dict(TableName="Missing", Key={"pk": {"S": "a"}})),
    (ddb, "query", dict(TableName="Missing", KeyConditionExpression="pk = :v", ExpressionAttributeValues={":v": {"S": "a"}})),
    (ddb, "scan", dict(TableName="Missing")), (ddb, "batch_get_item", dict(RequestItems={"Missing": {"Keys": [{"pk": {"S": "a"}}]}})),
    (ddb, "batch_write_item", dict(RequestItems={"Missing": [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]})),
    (ddb, "transact_get_items", dict(TransactItems=[{"Get": {"TableName": "Missing", "Key": {"pk": {"S": "a"}}}}])),
    (ddb, "transact_write_items", dict(TransactItems=[{"Put": {"TableName": "Missing", "Item": {"pk": {"S": "a"}}}}])),
    (streams, "describe_stream", dict(StreamArn="arn:aws:dynamodb:us-west-2:123456789012:table/Missing/stream/2024-01-01T00:00:00.000")),
    (streams, "get_shard_iterator", dict(StreamArn="arn:aws:dynamodb:us-west-2:123456789012:table/Missing/stream/2024-01-01T00:00:00.000",
                                         ShardId="shardId-00000000000000000000-00000000", ShardIteratorType="LATEST")),
    (streams, "get_records", dict(ShardIterator="arn:aws:dynamodb:us-west-2:123456789012:table/Missing/stream/x|shard|0")),
    (kinesis, "describe_stream", dict(StreamName="Missing")), (kinesis, "describe_stream_summary", dict(StreamName="Missing")),
    (kinesis, "delete_stream", dict(StreamName="Missing")), (kinesis, "list_shards", dict(StreamName="Missing")),
    (kinesis, "put_record", dict(StreamName="Missing", Data=b"x", PartitionKey="p")),
    (kinesis, "put_records", dict(StreamName="Missing", Records=[{"Data": b"x", "PartitionKey": "p"}])),
    (kinesis, "get_records", dict(ShardIterator="Missing|shardId-000000000000|0")),
    (kinesis, "increase_stream_retention_period", dict(StreamName="Missing", RetentionPeriodHours=48)),
    (kinesis, "decrease_stream_retention_period", dict(StreamName="Missing", RetentionPeriodHours=24)),
    (iam, "delete_role", dict(RoleName="Missing")), (iam, "get_policy", dict(PolicyArn="arn:aws:iam::123456789012:policy/Missing")),
    (iam, "delete_policy", dict(PolicyArn="arn:aws:iam::123456789012:policy/Missing")),
    (iam, "create_policy_version", dict(PolicyArn="arn:aws:iam::123456789012:policy/Missing", PolicyDocument=allow_all)),
    (iam, "get_policy_version", dict(PolicyArn="arn:aws:iam::123456789012:policy/Missing", VersionId="v1")),
    (iam, "list_policy_versions", dict(PolicyArn="arn:aws:iam::123456789012:policy/Missing")),
    (iam, "delete_policy_version", dict(PolicyArn="arn:aws:iam::123456789012:policy/Missing", VersionId="v1")),
    (iam, "set_default_policy_version", dict(PolicyArn="arn:aws:iam::123456789012:policy/Missing", VersionId="v1")),
    (iam, "attach_role_policy", dict(RoleName="Missing", PolicyArn="arn:aws:iam::123456789012:policy/Missing")),
    (iam, "detach_role_policy", dict(RoleName="Missing", PolicyArn="arn:aws:iam::123456789012:policy/Missing")),
    (iam, "list_attached_role_policies", dict(RoleName="Missing")), (iam, "put_role_policy", dict(RoleName="Missing", PolicyName="p", PolicyDocument=allow_all)),
    (iam, "get_role_policy", dict(RoleName="Missing", PolicyName="p")), (iam, "delete_role_policy", dict(RoleName="Missing", PolicyName="p")),
    (iam, "list_role_policies", dict(RoleName="Missing")),
    (iam, "simulate_principal_policy", dict(PolicySourceArn="arn:aws:iam::123456789012:role/Missing", ActionNames=["s3:GetObject"])),
    (lam, "delete_function", dict(FunctionName="Missing")), (lam, "get_function", dict(FunctionName=MISSING)),
    (lam, "get_function_configuration", dict(FunctionName="Missing")), (lam, "update_function_code", dict(FunctionName="Missing", ZipFile=code)),
    (lam, "update_function_configuration", dict(FunctionName="Missing", Timeout=5)),
    (lam, "put_function_concurrency", dict(FunctionName="Missing", ReservedConcurrentExecutions=1)),
    (lam, "get_function_concurrency", dict(FunctionName="Missing")), (lam, "delete_function_concurrency", dict(FunctionName="Missing")),
    (lam, "invoke", dict(FunctionName="Missing")),
    (lam, "create_event_source_mapping", dict(FunctionName="Missing", EventSourceArn=stream_arn, StartingPosition="LATEST")),
    (lam, "update_event_source_mapping", dict(UUID="00000000-0000-0000-0000-000000000000", BatchSize=5)),
    (lam, "delete_event_source_mapping", dict(UUID="00000000-0000-0000-0000-000000000000")),
    (logs, "describe_log_streams", dict(logGroupName="/missing")), (logs, "filter_log_events", dict(logGroupName="/missing")),
    (events, "describe_rule", dict(Name="Missing")), (events, "delete_rule", dict(Name="Missing")),
    (events, "put_targets", dict(Rule="Missing", Targets=[{"Id": "t", "Arn": MISSING}])),
    (events, "remove_targets", dict(Rule="Missing", Ids=["t"])), (events, "list_targets_by_rule", dict(Rule="Missing")),
    (sqs, "send_message", dict(QueueUrl="https://sqs.us-west-2.amazonaws.com/123456789012/missing", MessageBody="x")),
    (sns, "get_topic_attributes", dict(TopicArn="arn:aws:sns:us-west-2:123456789012:Missing")),
    (sns, "set_topic_attributes", dict(TopicArn="arn:aws:sns:us-west-2:123456789012:Missing", AttributeName="DisplayName", AttributeValue="x")),
    (sns, "subscribe", dict(TopicArn="arn:aws:sns:us-west-2:123456789012:Missing", Protocol="sqs", Endpoint=inbox_arn)),
    (sns, "list_subscriptions_by_topic", dict(TopicArn="arn:aws:sns:us-west-2:123456789012:Missing")),
    (sns, "publish", dict(TopicArn="arn:aws:sns:us-west-2:123456789012:Missing", Message="x")),
    (sns, "publish_batch", dict(TopicArn="arn:aws:sns:us-west-2:123456789012:Missing", PublishBatchRequestEntries=[{"Id": "a", "Message": "x"}])),
    (sns, "unsubscribe", dict(SubscriptionArn="arn:aws:sns:us-west-2:123456789012:Missing:0")),
    (sns, "get_subscription_attributes", dict(SubscriptionArn="arn:aws:sns:us-west-2:123456789012:Missing:0")),
    (sns, "set_subscription_attributes", dict(SubscriptionArn="arn:aws:sns:us-west-2:123456789012:Missing:0", AttributeName="RawMessageDelivery", AttributeValue="true")),
    (lam, "add_permission", dict(FunctionName="Missing", StatementId="s", Action="lambda:InvokeFunction", Principal="sns.amazonaws.com")),
    (lam, "remove_permission", dict(FunctionName="Missing", StatementId="s")), (lam, "get_policy", dict(FunctionName="Missing")),
    (lam, "put_function_event_invoke_config", dict(FunctionName="Missing", MaximumRetryAttempts=0)),
    (lam, "update_function_event_invoke_config", dict(FunctionName="Missing", MaximumRetryAttempts=0)),
    (lam, "get_function_event_invoke_config", dict(FunctionName="Missing")),
    (lam, "delete_function_event_invoke_config", dict(FunctionName="Missing")),
    (lam, "list_function_event_invoke_configs", dict(FunctionName="Missing")),
]
modelled_errors = 0
for service_client, method, kwargs in missing_calls:
    operation = service_client.meta.method_to_api_mapping[method]
    known = {shape.name for shape in service_client.meta.service_model.operation_model(operation).error_shapes}
    known |= {shape.error_code for shape in service_client.meta.service_model.operation_model(operation).error_shapes if shape.error_code}
    try:
        getattr(service_client, method)(**kwargs)
    except botocore.exceptions.ClientError as error:
        # SQS: the shape's name travels beside the query protocol's code.
        code = error.response["Error"].get("QueryErrorCode", error.response["Error"]["Code"])
        modelled = getattr(service_client.exceptions, code, None) or next(
            (getattr(service_client.exceptions, s.name) for s in service_client.meta.service_model.operation_model(operation).error_shapes
             if s.error_code == code), None)
        check(code in known or code == "ValidationException",
              f"{operation} on a missing resource: {code} is not among its modelled errors {sorted(known)}")
        if code in known:
            check(modelled is not None and isinstance(error, modelled), f"{operation}: botocore raised {type(error).__name__}, not the modelled {code}")
            modelled_errors += 1
        continue
    # Deleting what is not there may succeed (EventBridge RemoveTargets, DeleteRule do).
    check(method in ("delete_rule", "remove_targets", "delete_function_concurrency", "delete_topic") or operation.startswith("List"),
          f"{operation} on a missing resource succeeded")
print(f"{modelled_errors} of {len(missing_calls)} missing-resource calls raised their modelled exception class")

for name in sorted(covered):
    print("covered:", name)
print("all operations behaved")
