port = 3561
