return {
  id = "bad",
  title = = "oops",
}
