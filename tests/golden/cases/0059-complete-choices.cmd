__complete connections --format=c
