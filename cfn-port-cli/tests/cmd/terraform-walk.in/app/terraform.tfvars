port = 3560
