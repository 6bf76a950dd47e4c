"""QR codes of tickets, drawn by segno (a maintained QR encoder) as inline SVG: no script, no style attribute (the
page's CSP holds), a title and an accessible name for screen readers. Level M: a phone still reads a ticket with a
crease or a glare across a seventh of it."""

import segno
from django.utils.html import escape


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of the QR code of the text (UTF-8), row by row, True for dark, without the quiet zone."""
    code = segno.make_qr(text, error="m", boost_error=False, encoding="utf-8")
    return [[bool(module) for module in row] for row in code.matrix]


def qr_svg(text: str, *, title: str, css_class: str = "ticket-qr", border: int = 4) -> str:
    """The QR code as inline SVG, one path, white quiet zone of `border` modules."""
    modules = qr_matrix(text)
    size = len(modules) + border * 2
    path = "".join(f"M{x + border},{y + border}h1v1h-1z" for y, row in enumerate(modules) for x, module in enumerate(row) if module)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {size} {size}" role="img" '
        f'aria-labelledby="qr-title" shape-rendering="crispEdges"><title id="qr-title">{escape(title)}</title>'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    )
