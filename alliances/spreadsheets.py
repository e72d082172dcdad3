"""Safe cells for the CSV exports (interest map, portfolio, trust ledger)."""

# A spreadsheet treats a cell that starts with one of these as a formula, and would run it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text that a spreadsheet shows and never runs."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
