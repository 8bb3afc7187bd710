"""Read an xlsx back with openpyxl and print what the tests compare:
every sheet's name, merged ranges, frozen pane, print titles, page set-up,
and every cell (row, column, value) with a mark for a filled cell.

Usage: python3 xlsx_dump.py FILE"""
import sys

import openpyxl


def main(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        print("sheet", ws.title)
        print("merged", " ".join(sorted(str(r) for r in ws.merged_cells.ranges)))
        print("frozen", ws.freeze_panes)
        print("print_titles", ws.print_title_rows)
        ps = ws.page_setup
        fit = ws.sheet_properties.pageSetUpPr.fitToPage
        print("page", ps.orientation, "paper", ps.paperSize, "fit", fit,
              "wide", ps.fitToWidth or 1, "tall", ps.fitToHeight)
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None
                if c.value is None and not fill:
                    continue
                mark = " [fill %s]" % fill[-6:] if fill and c.row > 3 else ""
                wrap = "" if c.row < 3 or c.alignment.wrap_text else " [nowrap]"
                v = c.value
                if isinstance(v, float) and v.is_integer():
                    v = int(v)
                print("%s\t%s%s%s" % (c.coordinate, "" if v is None else v, mark, wrap))


if __name__ == "__main__":
    main(sys.argv[1])
