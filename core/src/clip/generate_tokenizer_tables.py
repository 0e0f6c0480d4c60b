#!/usr/bin/env python3
"""Writes UnicodeTables.cpp and HtmlEntities.cpp next to this script.

CLIP's simple_tokenizer.py lower-cases with Python's str.lower(), splits with the `regex`
module's \\p{L}, \\p{N} and \\s under re.IGNORECASE, and unescapes with html.unescape(). The C++
tokenizer has no ICU, so the facts it needs are dumped here from the very functions it imitates:
run with a Python that has `regex` installed (pip install regex). Not part of the build.
"""
import html
import html.entities
import os
import sys

import regex
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
MAX = 0x110000
SURROGATES = range(0xD800, 0xE000)


def code_points():
    for cp in range(MAX):
        if cp not in SURROGATES:
            yield cp


def ranges(members):
    """Sorted code points -> [(first, last)]"""
    out = []
    for cp in members:
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def emit_ranges(name, rs, per_line=5, type_name="CodePointRange"):
    lines = [f"const {type_name} {name}[] = {{"]
    for i in range(0, len(rs), per_line):
        lines.append("    " + " ".join(f"{{0x{a:X}, 0x{b:X}}}," for a, b in rs[i:i + per_line]))
    lines.append("};")
    lines.append(f"const std::size_t {name}Size = {len(rs)};")
    return "\n".join(lines)


def c_string(s):
    return '"' + "".join(f"\\x{b:02x}" if (b < 0x20 or b > 0x7e or chr(b) in '"\\?') else chr(b)
                         for b in s.encode("utf-8")) + '"'


def unicode_tables():
    I = regex.IGNORECASE
    letter = regex.compile(r"[\p{L}]", I)
    number = regex.compile(r"[\p{N}]", I)
    other = regex.compile(r"[^\s\p{L}\p{N}]", I)
    space = regex.compile(r"\s")  # whitespace_clean's \s (no IGNORECASE there)
    letters, numbers, unmatched, spaces = [], [], [], []
    lower_runs = []  # [first, last, stride, delta]
    ignorable, cased = [], []
    for cp in code_points():
        c = chr(cp)
        if letter.fullmatch(c):
            letters.append(cp)
        elif number.fullmatch(c):
            numbers.append(cp)
        elif not other.fullmatch(c):
            unmatched.append(cp)  # white space, and U+0345, which IGNORECASE puts in no class
        if space.fullmatch(c):
            spaces.append(cp)
        low = c.lower()
        if low != c and len(low) == 1:
            delta = ord(low) - cp
            if lower_runs and lower_runs[-1][3] == delta and (
                    (lower_runs[-1][2] in (0, 1) and cp == lower_runs[-1][1] + 1) or
                    (lower_runs[-1][2] in (0, 2) and cp == lower_runs[-1][1] + 2)):
                run = lower_runs[-1]
                run[2] = cp - run[1]
                run[1] = cp
            else:
                lower_runs.append([cp, cp, 0, delta])
        elif low != c:
            assert cp == 0x130, hex(cp)  # the only multi-character lower-case mapping
        # Final-sigma context, probed through str.lower() itself (see Python's handle_capital_sigma).
        x1 = ("a" + c + "\u03a3").lower()[-1] == "\u03c2"  # ignorable or cased
        x2 = (c + "\u03a3").lower()[-1] == "\u03c2"  # cased and not ignorable
        y = ("a\u03a3" + c).lower()[1] == "\u03c2"  # ignorable or not cased
        if x2:
            cased.append(cp)
        elif x1 and y:
            ignorable.append(cp)
    for run in lower_runs:
        run[2] = max(run[2], 1)
    out = [HEADER.format(what="Unicode facts for CLIP's text clean-up and pre-tokeniser",
                         versions=f"Python {sys.version.split()[0]} (Unicode {unicodedata.unidata_version} "
                                  f"for str.lower), regex {regex.__version__}"),
           '#include "clip/UnicodeTables.h"', "", "namespace poisonlab::clip::unicode {", ""]
    out.append("// [\\p{L}] under re.IGNORECASE")
    out.append(emit_ranges("kLetterRanges", ranges(letters)))
    out.append("// [\\p{N}] under re.IGNORECASE")
    out.append(emit_ranges("kNumberRanges", ranges(numbers)))
    out.append("// in none of [\\p{L}], [\\p{N}], [^\\s\\p{L}\\p{N}] under re.IGNORECASE: skipped by findall")
    out.append(emit_ranges("kUnmatchedRanges", ranges(unmatched)))
    out.append("// regex's \\s (Unicode White_Space), what whitespace_clean() collapses")
    out.append(emit_ranges("kWhiteSpaceRanges", ranges(spaces)))
    out.append("// Case_Ignorable and not cased-and-not-ignorable, as str.lower()'s final-sigma rule sees them")
    out.append(emit_ranges("kCaseIgnorableRanges", ranges(ignorable)))
    out.append("// Cased and not Case_Ignorable")
    out.append(emit_ranges("kCasedRanges", ranges(cased)))
    out.append("// str.lower() single-character mappings: cp in [first, last], (cp - first) % stride == 0 -> cp + delta")
    out.append("const LowerRun kLowerRuns[] = {")
    for i in range(0, len(lower_runs), 3):
        out.append("    " + " ".join(f"{{0x{a:X}, 0x{b:X}, {s}, {d}}}," for a, b, s, d in lower_runs[i:i + 3]))
    out.append("};")
    out.append(f"const std::size_t kLowerRunsSize = {len(lower_runs)};")
    out.append("")
    out.append("} // namespace poisonlab::clip::unicode")
    return "\n".join(out) + "\n"


def html_tables():
    import html as h
    entities = sorted(html.entities.html5.items())
    out = [HEADER.format(what="html.unescape()'s tables", versions=f"Python {sys.version.split()[0]}"),
           '#include "clip/HtmlEntities.h"', "", "namespace poisonlab::clip::html {", "",
           "// html.entities.html5, sorted by name (names with and without ';')",
           "const NamedEntity kNamedEntities[] = {"]
    items = [f"{{{c_string(k)}, {c_string(v)}}}," for k, v in entities]
    line = "   "
    for it in items:
        if len(line) + len(it) + 1 > 118:
            out.append(line)
            line = "   "
        line += " " + it
    out.append(line)
    out.append("};")
    out.append(f"const std::size_t kNamedEntitiesSize = {len(entities)};")
    out.append("")
    out.append("// html._invalid_charrefs: numeric references replaced by another character")
    out.append("const CharRefReplacement kInvalidCharRefs[] = {")
    refs = sorted(h._invalid_charrefs.items())
    for i in range(0, len(refs), 6):
        out.append("    " + " ".join(f"{{0x{k:X}, 0x{ord(v):X}}}," for k, v in refs[i:i + 6]))
    out.append("};")
    out.append(f"const std::size_t kInvalidCharRefsSize = {len(refs)};")
    out.append("// html._invalid_codepoints: numeric references dropped")
    out.append(emit_ranges("kInvalidCodePointRanges", ranges(sorted(h._invalid_codepoints)), 4, "unicode::CodePointRange"))
    out.append("")
    out.append("} // namespace poisonlab::clip::html")
    return "\n".join(out) + "\n"


HEADER = """// Generated by generate_tokenizer_tables.py from {versions}: {what}.
// Do not edit by hand; re-run the script instead.
// clang-format off
"""

if __name__ == "__main__":
    with open(os.path.join(HERE, "HtmlEntities.cpp"), "w", encoding="utf-8") as f:
        f.write(html_tables())
    with open(os.path.join(HERE, "UnicodeTables.cpp"), "w", encoding="utf-8") as f:
        f.write(unicode_tables())
