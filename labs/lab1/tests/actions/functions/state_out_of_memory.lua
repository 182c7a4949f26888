-- A StateLambda that doubles a string until its 256 MB run out, on every batch: each
-- attempt copies 255 MB, fails with Runtime.OutOfMemory, and its batch is retried.
return function(event, context)
  local s = "x"
  while true do s = s .. s end
end
