"""Read the forms and links of a rendered page the way a browser would, so that tests can post
back what a person would send (or something worse)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SAME_SITE_HOSTS = ("", "testserver", "localhost", "localhost:8000", "127.0.0.1", "127.0.0.1:8000")


@dataclass
class FormField:
    name: str
    kind: str  # the input type, "textarea" or "select"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[FormField] = field(default_factory=list)

    def data(self) -> dict[str, list[str]]:
        """What a browser submits unchanged: every named field, checked boxes only."""
        submitted: dict[str, list[str]] = {}
        for item in self.fields:
            if item.kind in ("checkbox", "radio") and not item.checked:
                continue
            if item.kind in ("submit", "button", "image", "reset", "file"):
                continue
            if item.kind == "select":
                chosen = item.selected or item.options[:1]
                values = chosen if item.multiple else chosen[:1]
            else:
                values = [item.value]
            submitted.setdefault(item.name, []).extend(values)
        return submitted

    @property
    def file_fields(self) -> list[str]:
        return [item.name for item in self.fields if item.kind == "file"]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._textarea: FormField | None = None
        self._select: FormField | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "a" and attr.get("href"):
            self.links.append(attr["href"])
        elif tag == "form":
            self._form = Form(
                action=attr.get("action", ""),
                method=attr.get("method", "get").lower(),
                enctype=attr.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif self._form is None or not attr.get("name"):
            if tag == "option" and self._select is not None:
                self._start_option(attr)
            return
        elif tag == "input":
            self._form.fields.append(
                FormField(
                    name=attr["name"],
                    kind=attr.get("type", "text").lower(),
                    value=attr.get("value", "on" if attr.get("type") == "checkbox" else ""),
                    checked="checked" in attr,
                )
            )
        elif tag == "textarea":
            self._textarea = FormField(name=attr["name"], kind="textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = FormField(name=attr["name"], kind="select", multiple="multiple" in attr)
            self._form.fields.append(self._select)
        elif tag == "button" and attr.get("type", "submit") == "submit":
            self._form.fields.append(FormField(name=attr["name"], kind="submit"))

    def _start_option(self, attr: dict[str, str]) -> None:
        self._option = (attr.get("value"), "selected" in attr)
        self._option_text = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected = self._option
            value = self._option_text.strip() if value is None else value
            self._select.options.append(value)
            if selected:
                self._select.selected.append(value)
            self._option = None


def parse(html: str, base_url: str) -> tuple[list[Form], list[str]]:
    """The page's forms (actions made absolute paths) and its same-site link paths."""
    parser = _Parser()
    parser.feed(html)
    for form in parser.forms:
        form.action = _same_site_path(urljoin(base_url, form.action or base_url)) or base_url
    links = [path for href in parser.links if (path := _same_site_path(urljoin(base_url, href)))]
    return parser.forms, links


def _same_site_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in SAME_SITE_HOSTS:
        return None
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path
