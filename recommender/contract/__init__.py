"""The public contract: the questionnaire and recommendation models, their field metadata and the
errors a caller can catch.
"""
