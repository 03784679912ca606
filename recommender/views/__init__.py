"""The two audiences' views and their text renderings: the client view (which cannot hold
clinician-only content) and the clinician summary.

Public: `client` (ClientRecommendation), `clinician` (ClinicianSummary), `client_text` (the
client-text checker the site uses), `render` and `render_clinician` (terminal text), `style`.
"""
