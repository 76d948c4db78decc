"""A stand-in virus scanner for tests: finds the EICAR test string and nothing else."""

from diagnostics.uploads import EICAR


def eicar_scanner(fileobj) -> str | None:
    return "EICAR-Test-File" if EICAR in fileobj.read() else None
