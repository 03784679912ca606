"""Exports for other systems: FHIR R4 Questionnaire and QuestionnaireResponse, and the consult
record as JSON.

Public (README "FHIR"): `fhir_export`, `fhir_questionnaire`, `fhir_response` and
`consult_export`.
"""
