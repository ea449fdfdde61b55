"""Training code for the relation classifier (re3d)."""
