"""Reading the tables of a rendered Markdown report back, as a viewer would."""

from __future__ import annotations

from markdown_it import MarkdownIt


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts (as rendered, escapes resolved)."""
    parser = MarkdownIt("commonmark").enable("table")
    found: list[list[list[str]]] = []
    row: list[str] | None = None
    for token in parser.parse(markdown):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            found[-1].append(row or [])
            row = None
        elif token.type == "inline" and row is not None:
            text = "".join(
                child.content
                for child in token.children or ()
                if child.type in ("text", "code_inline", "html_inline")
            )
            row.append(text)
    return found


def assert_rectangular(markdown: str) -> None:
    """Every row of every table has as many cells as its header."""
    source_rows = [line for line in markdown.splitlines() if line.startswith("|")]
    for table in tables(markdown):
        width = len(table[0])
        for row in table:
            assert len(row) == width, (row, table[0])
    assert source_rows, "no tables in the report"
