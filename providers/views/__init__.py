"""Provider pages (own provider) and officer pages (the register), one module each area."""
