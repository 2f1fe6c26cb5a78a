"""Spreadsheet readers compared on a 50,000-row file in the Home Office layout.

Writes the same year sheet as ODS and as XLSX (official.sample_files), then
reads every cell of it with each reader that is installed, each in a process
of its own so that its peak memory is its own:

    python bench/readers_benchmark.py [--rows 50000] [--repeat 3]

python-calamine is the project's reader; openpyxl is a development
dependency; odfpy (through pandas' "odf" engine) and pyexcel-ods3 are not
dependencies and are timed only where installed. Prints a Markdown table.
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHEET = "2024_25"


def calamine(path):
    import python_calamine

    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        return sum(1 for _ in book.get_sheet_by_name(SHEET).iter_rows())


def official_reader(path):
    from official import readers

    return sum(1 for _ in readers.read(path))


def openpyxl_read_only(path):
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in book[SHEET].iter_rows(values_only=True))
    book.close()
    return rows


def pandas_odf(path):
    import pandas

    return len(pandas.read_excel(path, sheet_name=SHEET, engine="odf")) + 1


def pyexcel_ods3(path):
    from pyexcel_ods3 import get_data

    return len(get_data(str(path))[SHEET])


READERS = {
    "python-calamine": (calamine, ("ods", "xlsx"), "python_calamine"),
    "official.readers (calamine, records)": (official_reader, ("ods", "xlsx"), "python_calamine"),
    "openpyxl (read-only)": (openpyxl_read_only, ("xlsx",), "openpyxl"),
    "pandas + odfpy": (pandas_odf, ("ods",), "odf"),
    "pyexcel-ods3": (pyexcel_ods3, ("ods",), "pyexcel_ods3"),
}


def child(name: str, path: str) -> None:
    reader = READERS[name][0]
    start = time.perf_counter()
    rows = reader(Path(path))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{rows} {seconds:.3f} {peak:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    from official import sample_files

    # One year of four quarters: 44 forces with N offences each and 3 fraud rows.
    offences = max(5, round((args.rows / 4 - 3) / 44))
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for suffix in ("ods", "xlsx"):
            path = Path(folder) / f"prc-pfa.{suffix}"
            start = time.perf_counter()
            sample = sample_files.build_home_office(
                path,
                years=(2024,),
                latest_quarters=(1, 2, 3, 4),
                offences=sample_files.full_size_offences(offences),
            )
            wrote = time.perf_counter() - start
            files[suffix] = path
            size = path.stat().st_size / 1e6
            print(f"wrote {len(sample.counts):,} rows as {suffix} in {wrote:.1f} s ({size:.1f} MB)")
        print()
        print("| reader | file | rows | best of runs (s) | peak memory (MB) |")
        print("| --- | --- | ---: | ---: | ---: |")
        for name, (_, formats, module) in READERS.items():
            try:
                __import__(module)
            except ImportError:
                print(f"| {name} | - | - | not installed | - |")
                continue
            for suffix in formats:
                runs = []
                for _ in range(args.repeat):
                    result = subprocess.run(
                        [sys.executable, __file__, "--child", name, str(files[suffix])],
                        check=True,
                        capture_output=True,
                        text=True,
                    )
                    rows, seconds, peak = result.stdout.split()
                    runs.append((float(seconds), peak))
                best = min(runs)
                print(f"| {name} | {suffix} | {int(rows):,} | {best[0]:.2f} | {best[1]} |")


if __name__ == "__main__":
    main()
