"""The codes an import reports besides those of `check`: each says what needs an editor."""

from __future__ import annotations

from ..diagnostics import Diagnostic

# Import findings are not `check` codes: nothing in the repository has them once the import is
# written, so they are not in codes.py (and not in `finops-kb codes`); `import --help` lists them.
IMPORT_CODES: dict[str, tuple[str, str]] = {
    "import-exists": ("error", "the target file exists; it is kept unless --force is given"),
    "import-conflict": (
        "error",
        "two source pages would become the same file, or a capability with that id exists",
    ),
    "import-front-matter": ("error", "the front matter cannot be read; the page is skipped"),
    "import-unknown-key": ("warning", "a front-matter key the model has no place for (dropped)"),
    "import-draft": ("warning", "the page was a draft or unpublished; imported, it is published"),
    "import-old-url": ("warning", "old URLs the model cannot keep; redirect them elsewhere"),
    "import-capability-match": (
        "warning",
        "the page is about a capability the knowledge base already has",
    ),
    "import-template-tag": (
        "warning",
        "a Liquid tag, Hugo shortcode or snippet that has no Markdown equivalent (left as is)",
    ),
    "import-link": ("warning", "a link that does not lead to an imported page (left as is)"),
    "import-heading": ("warning", "the page's first heading differs from its title (dropped)"),
}


def finding(path: str, line: int, code: str, message: str, hint: str) -> Diagnostic:
    """An import finding, with the severity of its code."""
    return Diagnostic(path, line, code, message, hint, IMPORT_CODES[code][0])


def describe() -> str:
    """The import codes, for `finops-kb import --help`."""
    return "\n".join(f"  {code:24} {sev:8} {text}" for code, (sev, text) in IMPORT_CODES.items())
