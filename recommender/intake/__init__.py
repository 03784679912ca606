"""Answers in: validating a questionnaire and deciding which question comes next."""
