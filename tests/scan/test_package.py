import scan


def test_all_lists_exactly_the_public_names():
    public = {name for name in vars(scan) if not name.startswith("_")}
    submodules = {"cli", "decode", "detect", "document", "enhance", "errors", "geometry", "mrc"}
    submodules |= {"pdf", "pipeline", "quality", "render", "result", "synthetic", "oracle"}
    assert set(scan.__all__) == public - submodules - {"annotations"}


def test_every_error_is_a_scan_error_with_both_languages():
    from core.errors import SohoaError

    errors = [scan.UnreadableImage("x"), scan.ImageTooLarge(10**8, 6 * 10**7), scan.NotAPage("x")]
    errors += [scan.BadCorners("a", "b"), scan.BadOption("mode", "x", "auto")]
    for error in errors:
        assert isinstance(error, scan.ScanError) and isinstance(error, SohoaError)
        assert error.message("vi") != error.message("en")
        assert error.code != scan.ScanError.code
