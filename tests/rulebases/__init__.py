"""The test rule bases and their own tests."""
