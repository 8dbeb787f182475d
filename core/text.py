"""Text helpers for searching Vietnamese names without typing diacritics."""

import unicodedata


def fold_vietnamese(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics: "Đoàn Kết" -> "doan ket".

    Officers often type names without accents; searching a folded copy of the name finds
    "Quý Hòa" from "quy hoa" on SQLite and PostgreSQL alike.
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(without_marks.lower().split())
