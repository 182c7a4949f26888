return {
  description = "a token that is not derived from the batch does not help",
  actions = { "actions/fix_versions.lua", "actions/random_token.lua" },
  expect = {
    passed = false,
    -- Told apart from no token at all: the check names the token as the problem.
    steps = { ["idempotent-reduce"] = { passed = false, hint = "token",
      message = "although ReduceLambda passes a ClientRequestToken: no retry ever repeated a token" } },
  },
}
