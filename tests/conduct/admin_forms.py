"""Posting the complaint's admin form as a browser would: every field as the screen shows it,
with the changes a test makes."""

from bs4 import BeautifulSoup


def form_values(html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id="w-editor-form")
    data: dict = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "file", "button"}:
            continue
        if field.name == "textarea":
            data[name] = field.text.lstrip("\n")
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.get("type") in {"checkbox", "radio"}:
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def post_edit(client, url: str, **changes):
    data = form_values(client.get(url).content.decode())
    data.update(changes)
    return client.post(url, data)
