"""Safe cell values for the CSV and XLSX exports people open in a spreadsheet.

A spreadsheet runs a text cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return followed by one) as a formula, so an answer typed by a
member of the public could run in the reader's spreadsheet ("formula injection"). Every
export passes its text cells through ``safe_cell``: such text gets a leading apostrophe, so it
is shown as the text that was typed. Numbers, dates and booleans are left alone, so they stay
numbers in the sheet; a list (a multiple-choice answer) is joined into one text first.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Return ``value`` ready for a spreadsheet cell: text that a spreadsheet would read as a
    formula is prefixed with an apostrophe; lists and tuples are joined with "; " first;
    ``None`` becomes an empty cell; any other non-text value is returned unchanged."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join("" if item is None else str(item) for item in value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return value
