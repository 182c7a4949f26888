# Everything right but the trigger's batch size.
. "$(dirname "$0")/common.sh"
concurrency
add_statements "{\"Effect\": \"Allow\", \"Action\": $STREAM_READ, \"Resource\": \"arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/*\"},
  {\"Effect\": \"Allow\", \"Action\": \"dynamodb:UpdateItem\", \"Resource\": \"arn:aws:dynamodb:us-west-2:*:table/AggregateTable\"}"
trigger 100
