"""Evaluation: BFCL scored by our matcher and by the official checker (METHOD.md section 6)."""
