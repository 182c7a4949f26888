# The stream statement names StateTable's stream instead of ReduceTable's: the trigger is refused.
. "$(dirname "$0")/common.sh"
concurrency
add_statements "{\"Effect\": \"Allow\", \"Action\": $STREAM_READ, \"Resource\": \"arn:aws:dynamodb:us-west-2:*:table/StateTable/stream/*\"},
  {\"Effect\": \"Allow\", \"Action\": \"dynamodb:UpdateItem\", \"Resource\": \"arn:aws:dynamodb:us-west-2:*:table/AggregateTable\"}"
if trigger 2> refused.txt; then echo "the trigger should have been refused"; exit 1; fi
grep -q "Cannot access stream" refused.txt
rm -f refused.txt
