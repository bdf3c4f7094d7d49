from core.text import fold, tokens


def test_fold_removes_vietnamese_diacritics_and_case():
    assert fold("Đặng Thị Ánh") == "dang thi anh"
    assert fold("KHAI SINH") == fold("khai sinh") == fold("Khai Sinh")


def test_fold_keeps_procedure_codes():
    assert fold("Thủ tục 1.001193!") == "thu tuc 1.001193"


def test_fold_treats_nfd_like_nfc():
    import unicodedata

    name = "Nguyễn Văn Đức"
    assert fold(unicodedata.normalize("NFD", name)) == fold(name) == "nguyen van duc"


def test_tokens_splits_words():
    assert tokens("  Lê   Thị\tHồng ") == ["le", "thi", "hong"]
