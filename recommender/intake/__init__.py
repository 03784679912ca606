"""Answers in: validating a questionnaire and deciding which question comes next.

Public: `answers` (parse_answers, Answers, the size limits) and `questions` (Question, the
facade's question model, and the next-question logic the facade, CLI and FHIR export use).
"""
