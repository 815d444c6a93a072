"""Role intelligence: the title normalizer, and the description classifier built on its labels."""
