"""Which line of a framework file holds each key (FORMAT.md, "Keep to this
simple style"): tomllib gives values but no positions, so the loader reads the
text again, counting block headers and skipping text inside triple quotes."""

import re
from dataclasses import dataclass, field

HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(#.*)?$")
KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


@dataclass
class Block:
    """One block of the file: its header's line and each key's line."""

    kind: str
    line: int
    keys: dict[str, int] = field(default_factory=dict)

    def at(self, key: str | None = None) -> int:
        return self.keys.get(key, self.line) if key else self.line


@dataclass
class LineIndex:
    top: Block
    blocks: dict[str, list[Block]]
    problems: list[tuple[int, str]]

    def block(self, kind: str, index: int = 0) -> Block:
        found = self.blocks.get(kind, [])
        return found[index] if index < len(found) else self.top


def _triple_quotes_open(line: str, inside: bool) -> bool:
    """Whether text is still inside a triple-quoted string after ``line``."""
    return inside ^ (line.count('"""') % 2 == 1)


def index_lines(text: str) -> LineIndex:
    top = Block("", 1)
    blocks: dict[str, list[Block]] = {}
    problems: list[tuple[int, str]] = []
    current = top
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if inside:
            inside = _triple_quotes_open(line, inside)
            continue
        header = HEADER.match(line)
        if header:
            current = Block(header.group(2), number)
            blocks.setdefault(current.kind, []).append(current)
        else:
            key = KEY.match(line)
            if key:
                name = key.group(1)
                if "." in name or name.startswith(("'", '"')):
                    problems.append((number, f'write the key "{name}" plainly, without dots'))
                current.keys.setdefault(name, number)
                if line.split("=", 1)[1].strip().startswith("{"):
                    problems.append((number, "inline tables ({ … }) are not allowed"))
        inside = _triple_quotes_open(line, inside)
    return LineIndex(top, blocks, problems)
