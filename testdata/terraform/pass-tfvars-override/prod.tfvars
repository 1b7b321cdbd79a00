port = 6391
