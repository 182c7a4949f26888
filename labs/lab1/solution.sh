#!/usr/bin/env bash
# A complete answer to Lab 1 with the AWS CLI only, as a learner types it against a real
# account. labengine grade lab1 --exec 'bash labs/lab1/solution.sh'
set -euo pipefail
region=us-west-2
account=$(aws sts get-caller-identity --query Account --output text)

# Step 1: connect StateLambda to the Kinesis stream.
aws lambda create-event-source-mapping --function-name StateLambda \
  --event-source-arn "arn:aws:kinesis:$region:$account:stream/IncomingDataStream" \
  --batch-size 100 --starting-position LATEST

# Step 2: MapLambda's trigger has the right settings; switch it on.
for uuid in $(aws lambda list-event-source-mappings --function-name MapLambda \
    --query 'EventSourceMappings[].UUID' --output text); do
  aws lambda update-event-source-mapping --uuid "$uuid" --enabled
done

# Step 3: one ReduceLambda at a time, allowed to read its stream and update the aggregates.
aws lambda put-function-concurrency --function-name ReduceLambda --reserved-concurrent-executions 1

policy="arn:aws:iam::$account:policy/ReduceLambdaPolicy"
aws iam get-policy-version --policy-arn "$policy" \
  --version-id "$(aws iam get-policy --policy-arn "$policy" --query Policy.DefaultVersionId --output text)" \
  --query PolicyVersion.Document
# The new version keeps what the policy allowed (logs, ParameterTable) and adds two statements.
aws iam create-policy-version --policy-arn "$policy" --set-as-default --policy-document '{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"},
    {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:'"$region:$account"':table/ParameterTable"},
    {"Effect": "Allow",
     "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
     "Resource": "arn:aws:dynamodb:'"$region"':*:table/ReduceTable/stream/*"},
    {"Effect": "Allow", "Action": "dynamodb:UpdateItem", "Resource": "arn:aws:dynamodb:'"$region"':*:table/AggregateTable"}
  ]
}'

aws lambda create-event-source-mapping --function-name ReduceLambda \
  --event-source-arn "$(aws dynamodb describe-table --table-name ReduceTable --query Table.LatestStreamArn --output text)" \
  --batch-size 1000 --starting-position LATEST
