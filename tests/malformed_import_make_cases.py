"""Writes the malformed-import corpus in tests/malformed_import/ (run once from the repository root; the files
are committed). Each case is a deal list the mapping in that folder reads; tests/test_malformed_import.py holds
the message each must produce."""
from pathlib import Path

OUT = Path("tests/malformed_import")
HEAD = "Licensor,Licensee,Asset,Signed,Upfront\n"
GOOD = "Acme,Globex,AB-202,2025-09,40\n"
cases = {
    "01_latin1_cell.csv": (HEAD + "Caf\u00e9 Bio,Globex,AB-202,2025-09,40\n").encode("latin-1"),
    "02_utf16_file.csv": (HEAD + GOOD).encode("utf-16"),
    "03_formula_name.csv": (HEAD + '"=HYPERLINK(""http://evil.example"",""x"")",Globex,AB-202,2025-09,40\n').encode(),
    "04_at_formula.csv": (HEAD + "Acme,@SUM(A1:A9),AB-202,2025-09,40\n").encode(),
    "05_plus_formula.csv": (HEAD + "Acme,Globex,+cmd|' /C calc'!A0,2025-09,40\n").encode(),
    "06_tab_led_formula.csv": (HEAD + 'Acme,Globex,"\t=1+1",2025-09,40\n').encode(),
    "07_minus_formula.csv": (HEAD + "-2+3+cmd,Globex,AB-202,2025-09,40\n").encode(),
    "08_nested_json_cell.json": ('[{"Licensor": "Acme", "Licensee": ' + "[" * 5000 + "]" * 5000 + "}]\n").encode(),
    "09_list_in_list_json.json": b'[{"Licensor": "Acme", "Licensee": [["Globex"]], "Signed": "2025-09"}]\n',
    "10_object_cell_json.json": b'[{"Licensor": {"name": "Acme"}, "Licensee": "Globex"}]\n',
    "11_not_json.json": b'[{"Licensor": "Acme",, }]\n',
    "12_nul_in_csv.csv": (HEAD + "Ac\x00me,Globex,AB-202,2025-09,40\n").encode(),
    "13_many_unknown_rows.csv": (HEAD + "".join(f"Acme,Globex,AB-202,2025-{m:02d},-{m}\n" for m in range(1, 13))).encode(),
    "14_empty_file.csv": b"",
    "15_binary_file.xlsx": b"\x00\x01not a workbook\xff\xfe",
    "16_utf16_json.json": '[{"Licensor": "Acme"}]'.encode("utf-16-le"),
    "17_control_char_in_cell.csv": (HEAD + "Acme\x1b[31m,Globex,AB-202,2025-09,40\n").encode(),
    "18_long_formula_value.csv": (HEAD + "=" + "A" * 5000 + ",Globex,AB-202,2025-09,40\n").encode(),
}
for name, data in cases.items():
    (OUT / name).write_bytes(data)
print(len(cases))
