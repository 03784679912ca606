"""A clinic's own Flask site with the facesym pages mounted in it (see README.md here)."""
