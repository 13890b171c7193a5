help tail
