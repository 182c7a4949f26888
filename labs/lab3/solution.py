"""A complete answer to Lab 3 with boto3 only.

    labengine grade lab3 --exec 'python3 labs/lab3/solution.py'
"""
import json
import time

import boto3

account = boto3.client("sts").get_caller_identity()["Account"]
queue = f"arn:aws:sqs:us-west-2:{account}:BadOrders"
lambda_ = boto3.client("lambda")
uuid = lambda_.list_event_source_mappings(FunctionName="OrderLambda")["EventSourceMappings"][0]["UUID"]

# Step 1: give up on a bad record after two retries, splitting failed batches to isolate it.
lambda_.update_event_source_mapping(UUID=uuid, MaximumRetryAttempts=2, BisectBatchOnFunctionError=True)

# Step 2: let the role send to BadOrders, and make it the trigger's on-failure destination.
boto3.client("iam").put_role_policy(RoleName="OrderLambdaRole", PolicyName="bad-orders", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue}]}))
# The trigger is Updating for a moment after a change, and refuses another meanwhile.
while lambda_.get_event_source_mapping(UUID=uuid)["State"] != "Enabled":
    time.sleep(1)
lambda_.update_event_source_mapping(UUID=uuid, DestinationConfig={"OnFailure": {"Destination": queue}})

# The records Lambda kept: each names the shard and sequence range of a discarded batch.
sqs = boto3.client("sqs")
url = sqs.get_queue_url(QueueName="BadOrders")["QueueUrl"]
print("BadOrders holds", sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"], "records")
