"""Every bad input the README's "Data errors" table lists, with the exact problems perfsite reports.

Each case starts from a small valid data folder (GOOD_FILES) and changes or adds files; its
messages are every problem ``perfsite validate`` must print for it, in the order it prints them.
The README table is checked against CASES row for row (tests/test_validation.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.loader import MAX_FILE_BYTES

# Line numbers in the messages below count lines of these texts.
ALPHA = """\
name: Alpha District Council
code: E07000901
type: district
website: https://alpha.example.org
years:
  2023-24:
    population: 87036
    investigations: 8
    upheld: 5
    compliance_outcomes: 3
    complied: 3
    satisfactory_remedies: 1
    letter: 2023-24/alpha.md
    source: https://lgo.example.org/alpha
"""

BETA = """\
name: Beta Borough Council
code: E07000902
type: district
years:
  2023-24: {investigations: 4, upheld: 3}
"""

GOOD_FILES: dict[str, str | bytes] = {
    "councils/alpha.yaml": ALPHA,
    "councils/beta.yaml": BETA,
    "letters/2023-24/alpha.md": "Dear Chief Executive\n\nWe upheld **5** complaints.\n",
    # alpha upheld 5 of 8 (62.5%), beta 3 of 4 (75%): their mean, 68.75%, is shown 69%
    "averages.yaml": "2023-24:\n  district: {upheld_pct: 69}\n",
}

YEAR_KEYS_LISTED = (
    "population, investigations, upheld, compliance_outcomes, complied, satisfactory_remedies, received, decided, letter, "
    "letter_date, letter_url, source, decisions, public_reports, service_improvements"
)
COUNCIL_KEYS_LISTED = "name, code, type, website, created, abolished, replaced_by, aliases, years"
TYPES_LISTED = "county, district, metropolitan, unitary, london"


def alpha(old: str, new: str) -> dict[str, str | bytes]:
    """alpha.yaml with one piece of text changed."""
    assert old in ALPHA, old
    return {"councils/alpha.yaml": ALPHA.replace(old, new, 1)}


# Seven levels of nine: 9**7 = 4,782,969 copies of "x" from a few hundred bytes ("billion laughs").
ALIAS_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n" for previous, name in zip("abcdef", "bcdefg"))
HIDDEN = "a character that is not shown as written (expected visible text, without control or bidirectional characters)"
PLAIN = "is not written as a plain whole number (expected digits only, with no leading zero, sign, underscore or colon: YAML reads 017 as 15 and 1:20 as 80)"

# Alpha's breakdowns, put in after its satisfactory_remedies (line 12), as lines 13 and 14; they
# agree with its upheld (5) and investigations (8): 5 upheld + 3 not upheld.
RECEIVED = ("    received: {adult_care: 2, benefits_and_tax: 1, corporate_and_other: 0, education_and_childrens: 3, "
            "environment_and_regulation: 2, highways_and_transport: 1, housing: 4, planning_and_development: 2, other: 0}\n")
DECIDED = ("    decided: {invalid_or_incomplete: 1, advice_given: 0, referred_back: 4, closed_after_initial_enquiries: 3, "
           "not_upheld: 3, upheld: 5}\n")
RECEIVED_KEYS_LISTED = ("adult_care, benefits_and_tax, corporate_and_other, education_and_childrens, environment_and_regulation, "
                        "highways_and_transport, housing, planning_and_development, other")
DECIDED_KEYS_LISTED = "invalid_or_incomplete, advice_given, referred_back, closed_after_initial_enquiries, not_upheld, upheld"


def alpha_breakdowns(old: str = "", new: str = "") -> dict[str, str | bytes]:
    """alpha.yaml with both breakdowns, one piece of them changed."""
    lines = (RECEIVED + DECIDED).replace(old, new, 1)
    assert old in RECEIVED + DECIDED, old
    return alpha("    satisfactory_remedies: 1\n", "    satisfactory_remedies: 1\n" + lines)


def beta(old: str, new: str) -> dict[str, str | bytes]:
    assert old in BETA, old
    return {"councils/beta.yaml": BETA.replace(old, new, 1)}


@dataclass(frozen=True)
class BadInput:
    bad_input: str
    files: dict[str, str | bytes | None]  # path under data/ -> new content; None removes the file
    messages: tuple[str, ...]
    build_too: bool = field(default=False)  # also checked through `perfsite build`


A = "data/councils/alpha.yaml"
B = "data/councils/beta.yaml"

CASES: tuple[BadInput, ...] = (
    BadInput(
        "YAML that does not parse",
        alpha("type: district", "type: [district"),
        (f"{A}:4: is not valid YAML (expected ',' or ']', but got ':')",),
        build_too=True,
    ),
    BadInput(
        "a file that is not UTF-8",
        {"councils/alpha.yaml": ALPHA.replace("source: https://lgo.example.org/alpha", "source: Lettre \xe0 Alpha").encode("latin-1")},
        (f"{A}:14: is not valid UTF-8 (expected a UTF-8 text file)",),
    ),
    BadInput(
        "an empty file",
        {"councils/alpha.yaml": "# nothing yet\n"},
        (f"{A}: is empty (expected a council's name, code, type and years)",),
    ),
    BadInput(
        "a file over the size limit (1 MiB)",
        {"councils/alpha.yaml": ALPHA + "#" * (MAX_FILE_BYTES - len(ALPHA)) + "\n"},
        (f"{A}: is 1,048,577 bytes (expected at most 1,048,576)",),
    ),
    BadInput(
        "a file in councils/ that is not YAML",
        {"councils/notes.txt": "to do\n"},
        ("data/councils/notes.txt: is not a council file (expected <slug>.yaml)",),
    ),
    BadInput(
        "an unknown key that is a likely typo",
        alpha("upheld: 5", "uphled: 5"),
        (f"{A}:9: years.2023-24.uphled: unknown key; did you mean 'upheld'? (expected one of: {YEAR_KEYS_LISTED})",),
        build_too=True,
    ),
    BadInput(
        "an unknown key",
        alpha("type: district\n", "type: district\ncolour: blue\n"),
        (f"{A}:4: colour: unknown key (expected one of: {COUNCIL_KEYS_LISTED})",),
    ),
    BadInput(
        "a key given twice",
        alpha("    upheld: 5\n", "    upheld: 5\n    upheld: 4\n"),
        (f"{A}:10: years.2023-24.upheld: appears twice (expected each key once)",),
    ),
    BadInput(
        "a missing required key",
        alpha("code: E07000901\n", ""),
        (f"{A}:1: code: is missing (expected its GSS code, e.g. E07000236)",),
    ),
    BadInput(
        "a misspelt required key",
        alpha("name:", "nmae:"),
        (
            f"{A}:1: name: is missing (expected the council's name)",
            f"{A}:1: nmae: unknown key; did you mean 'name'? (expected one of: {COUNCIL_KEYS_LISTED})",
        ),
    ),
    BadInput(
        "text where a count belongs",
        alpha("investigations: 8", "investigations: eight"),
        (f"{A}:8: years.2023-24.investigations: 'eight' is text (expected a whole number, 0 or more)",),
        build_too=True,
    ),
    BadInput(
        "a count written with a thousands separator",
        alpha("population: 87036", "population: 87,036"),
        (f"{A}:7: years.2023-24.population: '87,036' is text (expected a whole number, 1 or more)",),
    ),
    BadInput(
        "a float count",
        alpha("complied: 3", "complied: 2.5"),
        (f"{A}:11: years.2023-24.complied: 2.5 is not a whole number (expected a whole number, 0 or more)",),
    ),
    BadInput(
        "a negative count",
        alpha("complied: 3", "complied: -1"),
        (f"{A}:11: years.2023-24.complied: -1 is negative (expected a whole number, 0 or more)",),
    ),
    BadInput(
        "a boolean count",
        alpha("complied: 3", "complied: yes"),
        (f"{A}:11: years.2023-24.complied: yes is a yes/no value (expected a whole number, 0 or more)",),
    ),
    BadInput(
        "a count left empty",
        alpha("complied: 3", "complied:"),
        (f"{A}:11: years.2023-24.complied: is empty (expected a whole number, 0 or more; leave the key out when the figure is not available)",),
    ),
    BadInput(
        "upheld more than investigations",
        alpha("upheld: 5", "upheld: 9"),
        (f"{A}:9: years.2023-24.upheld: 9 is more than investigations (8) (expected at most 8)",),
        build_too=True,
    ),
    BadInput(
        "complied more than compliance_outcomes",
        alpha("complied: 3", "complied: 4"),
        (f"{A}:11: years.2023-24.complied: 4 is more than compliance_outcomes (3) (expected at most 3)",),
    ),
    BadInput(
        "satisfactory_remedies more than upheld",
        alpha("satisfactory_remedies: 1", "satisfactory_remedies: 6"),
        (f"{A}:12: years.2023-24.satisfactory_remedies: 6 is more than upheld (5) (expected at most 5)",),
    ),
    BadInput(
        "a population of 0",
        alpha("population: 87036", "population: 0"),
        (f"{A}:7: years.2023-24.population: 0 is below 1 (expected a whole number, 1 or more)",),
    ),
    BadInput(
        "a year key that is not YYYY-YY",
        alpha("2023-24:", "2023/24:"),
        (f"{A}:6: years.2023/24: is not a financial year (expected 'YYYY-YY' with consecutive years, e.g. 2023-24)",),
    ),
    BadInput(
        "a year key whose years are not consecutive",
        alpha("2023-24:", "2023-25:"),
        (f"{A}:6: years.2023-25: is not a financial year (expected 'YYYY-YY' with consecutive years, e.g. 2023-24)",),
    ),
    BadInput(
        "an impossible date",
        alpha("    letter: 2023-24/alpha.md\n", "    letter: 2023-24/alpha.md\n    letter_date: 2024-13-01\n"),
        (f"{A}:14: years.2023-24.letter_date: '2024-13-01' is not a date (expected a date written YYYY-MM-DD)",),
    ),
    BadInput(
        "an unknown council type",
        alpha("type: district", "type: borough"),
        (f"{A}:3: type: 'borough' is not a council type (expected one of: {TYPES_LISTED})",),
    ),
    BadInput(
        "a malformed GSS code",
        alpha("code: E07000901", "code: E0700090"),
        (f"{A}:2: code: 'E0700090' is not valid (expected a GSS code: a letter and 8 digits, e.g. E07000236)",),
    ),
    BadInput(
        "a duplicate GSS code",
        beta("code: E07000902", "code: E07000901"),
        (f"{B}:2: code: E07000901 is also the code of alpha ({A}:2) (expected each GSS code once)",),
        build_too=True,
    ),
    BadInput(
        "a duplicate slug (alpha.yaml and alpha.yml)",
        {"councils/alpha.yml": BETA.replace("E07000902", "E07000903")},
        (f"data/councils/alpha.yml: slug: 'alpha' is also the slug of {A} (expected one file per council)",),
    ),
    BadInput(
        "a duplicate slug through aliases",
        beta("type: district\n", "type: district\naliases: [old-beta, alpha]\n"),
        (f"{B}:4: aliases[1]: 'alpha' is already the slug of alpha ({A}) (expected a slug no other council uses)",),
    ),
    BadInput(
        "a slug that is not lowercase letters, digits and hyphens",
        {"councils/beta.yaml": None, "councils/Beta_Council.yaml": BETA},
        ("data/councils/Beta_Council.yaml: slug: 'Beta_Council' is not a slug (expected a file name of lowercase letters, digits and hyphens)",),
    ),
    BadInput(
        "an alias that is not a slug",
        beta("type: district\n", "type: district\naliases: [Old Beta]\n"),
        (f"{B}:4: aliases[0]: 'Old Beta' is not valid (expected a slug: lowercase letters, digits and hyphens)",),
    ),
    BadInput(
        "replaced_by naming a council that does not exist",
        beta("type: district\n", "type: district\nabolished: 2024-03-31\nreplaced_by: [alpah]\n"),
        (f"{B}:5: replaced_by[0]: 'alpah' is not a council in this data; did you mean 'alpha'? (expected the slug of a council file)",),
        build_too=True,
    ),
    BadInput(
        "a letter file that is missing",
        alpha("letter: 2023-24/alpha.md", "letter: 2023-24/alfa.md"),
        (f"{A}:13: years.2023-24.letter: '2023-24/alfa.md' does not exist (expected a file at data/letters/2023-24/alfa.md)",),
        build_too=True,
    ),
    BadInput(
        "a letter path that points outside data/letters/",
        alpha("letter: 2023-24/alpha.md", "letter: ../../secrets/alpha.md"),
        (f"{A}:13: years.2023-24.letter: '../../secrets/alpha.md' is not a Markdown file inside data/letters/ (expected a relative path such as 2023-24/redditch.md)",),
    ),
    BadInput(
        "a letter file that is not UTF-8",
        {"letters/2023-24/alpha.md": "Dear Chief Executive\n\nCaf\xe9\n".encode("latin-1")},
        (f"{A}:13: years.2023-24.letter: '2023-24/alpha.md' is not valid UTF-8 at its line 3 (expected a UTF-8 text file)",),
    ),
    BadInput(
        "a javascript: web address",
        alpha("website: https://alpha.example.org", "website: javascript:alert(1)"),
        (f"{A}:4: website: 'javascript:alert(1)' is not a web address (expected one starting http:// or https://)",),
        build_too=True,
    ),
    BadInput(
        "a data: URL as a source",
        alpha("source: https://lgo.example.org/alpha", "source: data:text/html,hello"),
        (f"{A}:14: years.2023-24.source: 'data:text/html,hello' is not a web address (expected one starting http:// or https://)",),
    ),
    BadInput(
        "a letter_url that is not https",
        alpha("    source: https://lgo.example.org/alpha", "    letter_url: http://lgo.example.org/alpha.pdf\n    source: https://lgo.example.org/alpha"),
        (f"{A}:14: years.2023-24.letter_url: 'http://lgo.example.org/alpha.pdf' is not an https web address (expected one starting https://)",),
    ),
    BadInput(
        "a published average that is not a number",
        {"averages.yaml": "2023-24:\n  district: {upheld_pct: high}\n"},
        ("data/averages.yaml:2: 2023-24.district.upheld_pct: 'high' is not a number (expected a percentage, 0 to 100)",),
    ),
    BadInput(
        "a published percentage over 100",
        {"averages.yaml": "2023-24:\n  district: {upheld_pct: 630}\n"},
        ("data/averages.yaml:2: 2023-24.district.upheld_pct: 630 is more than 100 (expected a percentage, 0 to 100)",),
    ),
    BadInput(
        "a published average that is not finite",
        {"averages.yaml": "2023-24:\n  district: {upheld_per_100k: .inf}\n"},
        ("data/averages.yaml:2: 2023-24.district.upheld_per_100k: .inf is not a number (expected a number, 0 or more)",),
    ),
    BadInput(
        "a count with a leading zero (YAML 1.1 reads 017 as 15)",
        alpha("complied: 3", "complied: 017"),
        (f"{A}:11: years.2023-24.complied: 017 {PLAIN}",),
        build_too=True,
    ),
    BadInput(
        "a count YAML 1.1 reads in base 60 (1:20 as 80)",
        alpha("complied: 3", "complied: 1:20"),
        (f"{A}:11: years.2023-24.complied: 1:20 {PLAIN}",),
    ),
    BadInput(
        "a count in hexadecimal (0x1F)",
        alpha("investigations: 8", "investigations: 0x1F"),
        (f"{A}:8: years.2023-24.investigations: 0x1F {PLAIN}",),
    ),
    BadInput(
        "a count with an underscore (1_0)",
        alpha("investigations: 8", "investigations: 1_0"),
        (f"{A}:8: years.2023-24.investigations: 1_0 {PLAIN}",),
    ),
    BadInput(
        "a count of 400 digits",
        alpha("investigations: 8", "investigations: " + "9" * 400),
        (f"{A}:8: years.2023-24.investigations: a number of 400 digits is too large (expected at most 99,999,999)",),
        build_too=True,
    ),
    BadInput(
        "a population of 100 million",
        alpha("population: 87036", "population: 100000000"),
        (f"{A}:7: years.2023-24.population: 100,000,000 is too large (expected at most 99,999,999)",),
    ),
    BadInput(
        "a year after next year (9999-00)",
        alpha("2023-24:", "9999-00:"),
        (f"{A}:6: years.9999-00: is outside the years the data can hold (expected a financial year from 2000-01 up to the one that starts next year)",),
        build_too=True,
    ),
    BadInput(
        "a year before 2000 (1999-00)",
        alpha("2023-24:", "1999-00:"),
        (f"{A}:6: years.1999-00: is outside the years the data can hold (expected a financial year from 2000-01 up to the one that starts next year)",),
    ),
    BadInput(
        "a NUL character in a name",
        alpha("name: Alpha District Council", 'name: "Alpha\\0 District Council"'),
        (f"{A}:1: name: 'Alpha\\x00 District Council' holds U+0000, {HIDDEN}",),
        build_too=True,
    ),
    BadInput(
        "a right-to-left override in a name",
        alpha("name: Alpha District Council", 'name: "Alpha \\u202eDistrict Council"'),
        (f"{A}:1: name: 'Alpha \\u202eDistrict Council' holds U+202E, {HIDDEN}",),
    ),
    BadInput(
        "a name of invisible characters",
        alpha("name: Alpha District Council", 'name: "\\u200b\\u200b"'),
        (f"{A}:1: name: '\\u200b\\u200b' holds U+200B, {HIDDEN}",),
    ),
    BadInput(
        "YAML nested 1,000 levels deep",
        {"councils/alpha.yaml": ALPHA + "extra: " + "[" * 1000 + "]" * 1000 + "\n"},
        (f"{A}: nests more than 32 levels deep (expected a council's name, code, type and years, a few levels deep)",),
    ),
    BadInput(
        "YAML nested 50 levels deep in averages.yaml",
        {"averages.yaml": "2023-24: " + "[" * 50 + "]" * 50 + "\n"},
        ("data/averages.yaml: nests more than 32 levels deep (expected published averages by financial year and council type, a few levels deep)",),
    ),
    BadInput(
        "an alias bomb in a year key",
        {"councils/alpha.yaml": ALIAS_BOMB + ALPHA.replace("  2023-24:", "  ? *g\n  : {}\n  2023-24:")},
        (f"{A}: uses aliases (*name) that repeat more than 100,000 values (expected fewer; write the values out instead)",),
        build_too=True,
    ),
    BadInput(
        "an alias bomb in averages.yaml",
        {"averages.yaml": ALIAS_BOMB + "2023-24:\n  district: {upheld_pct: 69}\n"},
        ("data/averages.yaml: uses aliases (*name) that repeat more than 100,000 values (expected fewer; write the values out instead)",),
    ),
    BadInput(
        "a letter of 100,000 > characters",
        {"letters/2023-24/alpha.md": ">" * 100_000 + "\n"},
        (f"{A}:13: years.2023-24.letter: '2023-24/alpha.md' nests quotes or lists more than 20 levels deep at its line 1 "
         "(expected a letter nested at most 20 levels)",),
        build_too=True,
    ),
    BadInput(
        "a letter with a run of 10,000 *",
        {"letters/2023-24/alpha.md": "Dear Chief Executive\n\n" + "*" * 10_000 + "\n"},
        (f"{A}:13: years.2023-24.letter: '2023-24/alpha.md' has a run of more than 100 '*' or '_' at its line 3 "
         "(expected at most 100 in a row)",),
    ),
    BadInput(
        "an unknown service area",
        alpha_breakdowns("housing: 4", "housng: 4"),
        (
            f"{A}:13: years.2023-24.received: has no count for housing (expected a count for each of: {RECEIVED_KEYS_LISTED}; 0 where there were none)",
            f"{A}:13: years.2023-24.received.housng: unknown key; did you mean 'housing'? (expected one of: {RECEIVED_KEYS_LISTED})",
        ),
        build_too=True,
    ),
    BadInput(
        "an unknown decision outcome",
        alpha_breakdowns("advice_given: 0, ", "advice_given: 0, withdrawn: 0, "),
        (f"{A}:14: years.2023-24.decided.withdrawn: unknown key (expected one of: {DECIDED_KEYS_LISTED})",),
    ),
    BadInput(
        "a breakdown without every key",
        alpha_breakdowns(", other: 0}", "}"),
        (f"{A}:13: years.2023-24.received: has no count for other (expected a count for each of: {RECEIVED_KEYS_LISTED}; 0 where there were none)",),
    ),
    BadInput(
        "a breakdown that is not a mapping",
        alpha_breakdowns(RECEIVED, "    received: 15\n"),
        (f"{A}:13: years.2023-24.received: must be a mapping of complaints and enquiries received by service area",),
    ),
    BadInput(
        "text where a breakdown count belongs",
        alpha_breakdowns("housing: 4", "housing: four"),
        (f"{A}:13: years.2023-24.received.housing: 'four' is text (expected a whole number, 0 or more)",),
    ),
    BadInput(
        "a negative breakdown count",
        alpha_breakdowns("referred_back: 4", "referred_back: -4"),
        (f"{A}:14: years.2023-24.decided.referred_back: -4 is negative (expected a whole number, 0 or more)",),
    ),
    BadInput(
        "upheld decisions that are not upheld",
        alpha_breakdowns("not_upheld: 3, upheld: 5", "not_upheld: 4, upheld: 4"),
        (f"{A}:14: years.2023-24.decided.upheld: 4 is not upheld (5) (expected 5, the same count)",),
        build_too=True,
    ),
    BadInput(
        "upheld and not upheld decisions that are not investigations",
        alpha_breakdowns("not_upheld: 3", "not_upheld: 2"),
        (f"{A}:14: years.2023-24.decided.not_upheld: 2 and upheld (5) make 7, not investigations (8) (expected upheld + not_upheld = 8)",),
    ),
)
