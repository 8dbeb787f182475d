"""The recognition criteria (contracts.md §2), one module per source:

- `qd28.py`: QĐ 28/2025 art. 6 (Q1–Q3);
- `tra_vinh.py`: Trà Vinh 2025's own criteria; `thanh_hoa.py`: Thanh Hóa 2024–2025's own;
  `lang_son.py`: Lạng Sơn 2025's own (hamlet pledges, a model per hamlet);
- `shared.py`: those several profiles share, and the provinces' extras (PLEDGES_100, MODEL_1).

They read `inputs.CriteriaInputs` and return a `verdicts.Verdict`; `checks.py` and `text.py` are
their shared building blocks and wording. Which code runs which function, with which title and
inputs, is `../registry.py`.
"""
