-- A maximum record age alone (its minimum, 60 s): the shard waits a minute per bad record.
local common = require("common")
common.allow_queue()
aws.lambda.update_event_source_mapping{
  UUID = common.uuid(), MaximumRecordAgeInSeconds = 60, DestinationConfig = { OnFailure = { Destination = common.queue } },
}
