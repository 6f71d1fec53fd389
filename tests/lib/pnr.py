# pnr.py: invented Swedish personal identity numbers for tests that plant
# them (imported by the Python parts of integration tests, with
# tests/lib on sys.path).

def check_digit(nine):
    """The Luhn check digit over the nine digits YYMMDDNNN."""
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)
