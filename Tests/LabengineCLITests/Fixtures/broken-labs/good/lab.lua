return { id = "good", title = "A good lab" }
