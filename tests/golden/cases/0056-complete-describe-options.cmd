__complete --describe connections --s
