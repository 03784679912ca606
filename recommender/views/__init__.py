"""The two audiences' views and their text renderings: the client view (which cannot hold
clinician-only content) and the clinician summary.
"""
