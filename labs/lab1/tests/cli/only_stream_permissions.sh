# The stream may be read, so the trigger works; AggregateTable may not be updated.
. "$(dirname "$0")/common.sh"
concurrency
add_statements "{\"Effect\": \"Allow\", \"Action\": $STREAM_READ, \"Resource\": \"arn:aws:dynamodb:us-west-2:*:table/ReduceTable/stream/*\"}"
trigger
