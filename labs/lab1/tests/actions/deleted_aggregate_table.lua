-- A learner who deletes AggregateTable: the scoreboard cannot read the totals any more.
aws.dynamodb.delete_table{ TableName = "AggregateTable" }
