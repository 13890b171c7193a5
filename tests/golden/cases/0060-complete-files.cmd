__complete connections ""
