"""Exports for other systems: FHIR R4 Questionnaire and QuestionnaireResponse, and the consult
record as JSON.
"""
