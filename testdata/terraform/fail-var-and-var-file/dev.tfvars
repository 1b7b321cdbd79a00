environment = "staging"
port        = 3561
