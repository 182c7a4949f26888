-- The destination is set before the role may send to it.
local common = require("common")
aws.lambda.update_event_source_mapping{ UUID = common.settled(), DestinationConfig = { OnFailure = { Destination = common.queue } } }
