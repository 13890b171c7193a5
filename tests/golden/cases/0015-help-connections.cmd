help connections
