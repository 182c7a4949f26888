# A learner who deletes AggregateTable: the scoreboard cannot read the totals any more.
. "$(dirname "$0")/common.sh"
aws dynamodb delete-table --table-name AggregateTable > /dev/null
