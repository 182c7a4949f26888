return { id = "good", title = "A good lab", steps = { { id = "s", title = "S",
  check = function() return false, "not yet" end, solve = function() end } } }
