connections --window
