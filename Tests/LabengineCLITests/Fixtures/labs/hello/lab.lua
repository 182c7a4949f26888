return { id = "hello", title = "Hello, world" }
