__complete --describe --
