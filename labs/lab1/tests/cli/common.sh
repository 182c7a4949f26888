# Shared by the scenarios' CLI scripts (sourced): the policy's new version and the trigger,
# with the AWS CLI, as a learner types them.
set -euo pipefail
POLICY=arn:aws:iam::123456789012:policy/ReduceLambdaPolicy
# What ReduceLambdaPolicy allows from the start: logs, and reading ParameterTable.
BASE='{"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"},
{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-west-2:123456789012:table/ParameterTable"}'
STREAM_READ='["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]'

# add_statements 'STATEMENT, …': a new default version with the base and these statements.
add_statements() {
  aws iam create-policy-version --policy-arn "$POLICY" --set-as-default \
    --policy-document "{\"Version\": \"2012-10-17\", \"Statement\": [$BASE, $1]}" > /dev/null
}

# trigger [BATCH_SIZE]: ReduceLambda's event source mapping from ReduceTable's stream.
trigger() {
  aws lambda create-event-source-mapping --function-name ReduceLambda --batch-size "${1:-1000}" --starting-position LATEST \
    --event-source-arn "$(aws dynamodb describe-table --table-name ReduceTable --query Table.LatestStreamArn --output text)"
}

concurrency() { aws lambda put-function-concurrency --function-name ReduceLambda --reserved-concurrent-executions 1; }
