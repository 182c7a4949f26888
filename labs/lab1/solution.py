"""A complete answer to Lab 1 with boto3 only, as a learner writes it against a real account.

    labengine grade lab1 --exec 'python3 labs/lab1/solution.py'
"""
import json

import boto3

region = "us-west-2"
account = boto3.client("sts").get_caller_identity()["Account"]
lambda_ = boto3.client("lambda")
iam = boto3.client("iam")
dynamodb = boto3.client("dynamodb")

# Step 1: connect StateLambda to the Kinesis stream.
lambda_.create_event_source_mapping(
    FunctionName="StateLambda",
    EventSourceArn=f"arn:aws:kinesis:{region}:{account}:stream/IncomingDataStream",
    BatchSize=100,
    StartingPosition="LATEST",
)

# Step 2: MapLambda's trigger has the right settings; switch it on.
for mapping in lambda_.list_event_source_mappings(FunctionName="MapLambda")["EventSourceMappings"]:
    lambda_.update_event_source_mapping(UUID=mapping["UUID"], Enabled=True)

# Step 3: one ReduceLambda at a time, allowed to read its stream and update the aggregates.
lambda_.put_function_concurrency(FunctionName="ReduceLambda", ReservedConcurrentExecutions=1)
policy = f"arn:aws:iam::{account}:policy/ReduceLambdaPolicy"
version = iam.get_policy(PolicyArn=policy)["Policy"]["DefaultVersionId"]
document = iam.get_policy_version(PolicyArn=policy, VersionId=version)["PolicyVersion"]["Document"]
if isinstance(document, str):  # boto3 decodes the document; other SDKs hand over the text
    document = json.loads(document)
document["Statement"] += [
    {
        "Effect": "Allow",
        "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
        "Resource": f"arn:aws:dynamodb:{region}:*:table/ReduceTable/stream/*",
    },
    {"Effect": "Allow", "Action": "dynamodb:UpdateItem", "Resource": f"arn:aws:dynamodb:{region}:*:table/AggregateTable"},
]
iam.create_policy_version(PolicyArn=policy, PolicyDocument=json.dumps(document), SetAsDefault=True)

stream = dynamodb.describe_table(TableName="ReduceTable")["Table"]["LatestStreamArn"]
lambda_.create_event_source_mapping(FunctionName="ReduceLambda", EventSourceArn=stream, BatchSize=1000, StartingPosition="LATEST")
print("lab1 solved: three triggers, one reserved instance, one new policy version")
