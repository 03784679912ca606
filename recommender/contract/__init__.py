"""The public contract: the questionnaire and recommendation models, their field metadata and the
errors a caller can catch.

Public: `questionnaire` (Questionnaire), `recommendation` (Recommendation and its parts),
`errors`, `fields` (each answer field's domain) and `constants` (the contract's fixed facts:
adult age, stopping urgencies, the crisis card, required derived values, the event pairing).
Private: `_preview` (short, safe previews of bad input for messages).
"""
