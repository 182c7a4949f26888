return {
  description = "a handler that runs out of memory on every attempt: the run stops once the functions have used the lab's CPU budget",
  solved_steps = 3,
  actions = { "actions/out_of_memory.lua" },
  expect = {
    passed = false,
    stopped = "more than this lab allows (10 s a virtual minute for all functions together); StateLambda used",
    logs = { StateLambda = { contains = "Runtime.OutOfMemory" } },
    metrics = { StateLambda = { errors = { at_least = 10 } } },
  },
}
