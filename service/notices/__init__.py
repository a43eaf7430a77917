"""Public procurement notices (eForms, as Doffin and TED publish them) as demand signals."""
