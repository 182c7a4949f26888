return {
  description = "a policy version created without SetAsDefault changes nothing, and the check says so",
  solved_steps = 2, actions = { "actions/version_not_default.lua" },
  expect = {
    passed = false,
    steps = { ["connect-reduce-lambda"] = { passed = false, hint = "stream-permissions",
      message = "ReduceLambdaPolicy has a newer version, v2, that is not its default (v1): only the default version counts" } },
  },
}
