"""Training code for watchfloor's trained components (see DESIGN.md section 10)."""
