-- a learner mistake
local x = = 1
