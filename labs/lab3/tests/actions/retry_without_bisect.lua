-- A retry limit alone: the shard flows again, but whole batches are given up.
local common = require("common")
aws.lambda.update_event_source_mapping{ UUID = common.uuid(), MaximumRetryAttempts = 1 }
