"""Reading the question: what it asks, its frame, slots and constraints, and whether a text meets them."""
