#!/usr/bin/env bash
# A complete answer to Lab 3 with the AWS CLI only.
# labengine grade lab3 --exec 'bash labs/lab3/solution.sh'
set -euo pipefail
account=$(aws sts get-caller-identity --query Account --output text)
queue="arn:aws:sqs:us-west-2:$account:BadOrders"
uuid=$(aws lambda list-event-source-mappings --function-name OrderLambda --query 'EventSourceMappings[0].UUID' --output text)

# Step 1: give up on a bad record after two retries, splitting failed batches to isolate it.
aws lambda update-event-source-mapping --uuid "$uuid" --maximum-retry-attempts 2 --bisect-batch-on-function-error

# Step 2: let the role send to BadOrders, and make it the trigger's on-failure destination.
aws iam put-role-policy --role-name OrderLambdaRole --policy-name bad-orders --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"$queue\"}]
}"
# The trigger is Updating for a moment after a change, and refuses another meanwhile.
until [ "$(aws lambda get-event-source-mapping --uuid "$uuid" --query State --output text)" = Enabled ]; do sleep 1; done
aws lambda update-event-source-mapping --uuid "$uuid" --destination-config "{\"OnFailure\": {\"Destination\": \"$queue\"}}"
