"""From scored sentences to an Answer: scoring, the calibrated found/not-found decision, composition, rendering."""
