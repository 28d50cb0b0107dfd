"""Reading the HTML the enquiry pages send, as a browser or screen reader would see it.

The standard library's parser is enough: the tests ask about elements, attributes and text,
never about layout.
"""

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None") -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    @property
    def elements(self) -> list["Node"]:
        return [child for child in self.children if isinstance(child, Node)]

    def iter(self):
        for child in self.elements:
            yield child
            yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list["Node"]:
        """Descendants with this tag (any, if None) whose attributes equal those given."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        return [
            node for node in self.iter()
            if (tag is None or node.tag == tag)
            and all(node.attrs.get(name) == value for name, value in wanted.items())
        ]

    def find(self, tag: str | None = None, **attrs) -> "Node":
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag or '*'}> with {attrs}"
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def raw_text(self) -> str:
        return "".join(
            child if isinstance(child, str) else child.raw_text for child in self.children
        )

    @property
    def text(self) -> str:
        """The words, with runs of white space made one space."""
        return " ".join(self.raw_text.split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def main_of(html: str) -> Node:
    return parse(html).find("main")


def words(text: str) -> str:
    """Lower-case text with white space made single spaces, for comparing what people read."""
    return " ".join(text.split()).lower()


def shown_values(html: str) -> dict:
    """What the form shows in each field: text as typed, or the ticked options' values."""
    form = parse(html).find("form", id="enquiry-form")
    values: dict = {}
    for node in form.iter():
        name = node.get("name")
        if not name:
            continue
        if node.tag == "textarea":
            # A browser drops one line break straight after <textarea>; so does this.
            values[name] = re.sub(r"^\r?\n", "", node.raw_text)
        elif node.tag == "input" and node.get("type") in ("checkbox", "radio"):
            ticked = values.setdefault(name, [])
            if "checked" in node.attrs:
                ticked.append(node.get("value"))
        elif node.tag == "input":
            values[name] = node.get("value", "")
    return values
