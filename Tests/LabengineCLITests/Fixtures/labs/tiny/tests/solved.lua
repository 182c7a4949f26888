return {
  description = "both steps by the reference solution",
  solved_steps = 2,
  expect = { passed = true, score = 150, steps = { connect = { passed = true, message = "Echoes holds" } } },
}
