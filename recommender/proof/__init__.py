"""The proof tools: verify walks the whole answer space of a rule base against the contract's
invariants; diff compares two rule bases over it.
"""
