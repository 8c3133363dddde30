#!/usr/bin/env python3
"""Writes the ICD-10-CM code list chronoterm ships: every billable code and its description.

ICD-10-CM is the CDC/CMS diagnosis code set, in the public domain. This script reads the
tabular list (the XML CMS publishes each fiscal year) and writes one line per billable
code, `CODE<TAB>DESCRIPTION`, sorted by code, with a header naming the source and year.

A code is billable when it has no finer code below it. Where a category carries a
seventh-character table (injuries, pregnancy, eye and others) the code is billable only
with a seventh character: codes shorter than six characters are padded with the
placeholder X, and the description gains the extension's words ("..., initial encounter").

Where the XML came from: the PyPI package `simple-icd-10-cm` 1.5.0 ships CMS's
`icd10c-tabular-April-1-2026.xml` (the FY2026 list with its April 1, 2026 update):

    pip download --no-deps -d /tmp/icd simple-icd-10-cm==1.5.0
    unzip -o -q /tmp/icd/simple_icd_10_cm-1.5.0-py3-none-any.whl -d /tmp/icd
    python3 Scripts/icd10cm-codes.py \
        /tmp/icd/simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml \
        Sources/CodeSets/Resources/icd10cm-2026.tsv

Run it again with next year's XML to update the list; the console reads the header to
name the edition it searches.
"""

import sys
import xml.etree.ElementTree as ET


def clean(text):
    return " ".join((text or "").split())


def seventh(diag, inherited):
    table = diag.find("sevenChrDef")
    if table is None:
        return inherited
    return [(ext.get("char"), clean(ext.text)) for ext in table.findall("extension")]


def walk(diag, inherited, out):
    name = diag.findtext("name").strip()
    desc = clean(diag.findtext("desc"))
    extensions = seventh(diag, inherited)
    children = diag.findall("diag")
    if children:
        for child in children:
            walk(child, extensions, out)
        return
    if not extensions:
        out.append((name, desc))
        return
    base = name.replace(".", "")
    base = base + "X" * (6 - len(base)) if len(base) < 6 else base
    for char, words in extensions:
        code = base + char
        out.append((code[:3] + "." + code[3:], f"{desc}, {words}"))


def main(source, target):
    root = ET.parse(source).getroot()
    version = clean(root.findtext("version"))
    codes = []
    for chapter in root.findall("chapter"):
        for section in chapter.findall("section"):
            for diag in section.findall("diag"):
                walk(diag, [], codes)
    codes.sort(key=lambda entry: entry[0].replace(".", ""))  # the order the console searches in
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        out.write(f"# ICD-10-CM {version} (CMS tabular list, April 1, {version} update; public domain)."
                  f" {len(codes)} billable codes. Written by Scripts/icd10cm-codes.py.\n")
        for code, desc in codes:
            out.write(f"{code}\t{desc}\n")
    print(f"{len(codes)} codes written to {target}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: icd10cm-codes.py TABULAR.xml OUTPUT.tsv")
    main(sys.argv[1], sys.argv[2])
