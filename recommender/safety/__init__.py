"""Safety checks that never trust the rules: the contract invariants every recommendation must pass
and the answer-level safety tables.
"""
