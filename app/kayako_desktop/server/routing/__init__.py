"""Chat routing: the offer state machine (DESIGN §4)."""
