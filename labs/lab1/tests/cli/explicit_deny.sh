# The policy allows everything needed, but an inline policy denies updates.
. "$(dirname "$0")/common.sh"
concurrency
add_statements "{\"Effect\": \"Allow\", \"Action\": $STREAM_READ, \"Resource\": \"arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/*\"},
  {\"Effect\": \"Allow\", \"Action\": \"dynamodb:UpdateItem\", \"Resource\": \"arn:aws:dynamodb:us-west-2:*:table/AggregateTable\"}"
aws iam put-role-policy --role-name ReduceLambdaRole --policy-name deny-updates --policy-document \
  '{"Version": "2012-10-17", "Statement": [{"Sid": "NoWrites", "Effect": "Deny", "Action": "dynamodb:UpdateItem", "Resource": "*"}]}'
trigger
