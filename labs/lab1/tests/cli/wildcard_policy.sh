# One broad statement instead of two narrow ones: it works (though it grants more than needed).
. "$(dirname "$0")/common.sh"
concurrency
add_statements '{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}'
trigger
