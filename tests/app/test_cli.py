import app
import app.state
from cli import build_parser


def test_app_and_run_commands_parse_their_options():
    parser = build_parser()
    args = parser.parse_args(["app", "--web", "--port", "9000", "--data-dir", "d", "--no-browser"])
    assert (args.web, args.port, args.data_dir, args.no_browser) == (True, 9000, "d", True)
    args = parser.parse_args(["run"])
    assert (args.server_port, args.app_port, args.var, args.host) == (
        8000,
        8550,
        "var",
        "127.0.0.1",
    )


def test_commands_have_bilingual_descriptions():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name in ("app", "run"):
        assert "/" in commands[name].description, name


def test_packages_export_what_they_list():
    for package in (app, app.state):
        assert package.__all__ == sorted(package.__all__)
        assert all(hasattr(package, name) for name in package.__all__)
