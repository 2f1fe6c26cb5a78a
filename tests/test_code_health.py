"""The code stays readable: no function with more than 15 independent paths
through it (cyclomatic complexity, as radon counts it)."""

from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "core",
    "measures",
    "plan",
    "opendata",
    "official",
    "compare",
    "pages",
    "policing",
    "bench",
)
MOST = 15


def functions():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for block in cc_visit(path.read_text(encoding="utf-8")):
                for item in (block, *getattr(block, "methods", ())):
                    if item.letter in ("F", "M"):
                        yield f"{path.relative_to(ROOT)} {item.fullname}", item


def test_no_function_is_too_complex_to_follow():
    complex_ = {where: f.complexity for where, f in functions() if f.complexity > MOST}
    assert not complex_, complex_


def test_the_check_sees_the_code():
    assert sum(1 for _ in functions()) > 200
