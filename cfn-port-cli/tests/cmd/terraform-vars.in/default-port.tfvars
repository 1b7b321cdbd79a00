port = 6379
