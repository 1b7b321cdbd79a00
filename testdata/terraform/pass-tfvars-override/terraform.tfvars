port = 6390
