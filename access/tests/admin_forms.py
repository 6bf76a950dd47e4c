"""Read an admin form the way a browser would submit it: every input, select and textarea with its current value,
so a test changes only the fields it is about (and a hand-crafted POST adds the ones the form did not offer)."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.select: str | None = None
        self.select_values: list[str] = []
        self.select_first: str | None = None
        self.select_multiple = False
        self.textarea: str | None = None
        self.options: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id) and attrs.get("method", "").lower() == "post":
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
                return
            self.data.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self.select, self.select_values, self.select_first = name, [], None
            self.select_multiple = "multiple" in attrs
            self.options[name] = []
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.options[self.select].append(value)
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs:
                self.select_values.append(value)
        elif tag == "textarea" and name:
            self.textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select:
            # A single select sends its first option when none is marked; a multiple one sends nothing.
            values = self.select_values or ([self.select_first] if self.select_first is not None and not self.select_multiple else [])
            if values:
                self.data.setdefault(self.select, []).extend(values)
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data


def form_of(html: str, form_id: str | None = None) -> dict[str, list[str] | str]:
    """The POST data the page's form would send as it stands."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return {name: values if len(values) > 1 else values[0] for name, values in reader.data.items()}


def select_options(html: str, name: str) -> list[str]:
    """The values a select of the page offers."""
    reader = _FormReader(None)
    reader.feed(html)
    return reader.options.get(name, [])
