from pathlib import Path

from frontend.environment import prepare_environment


def test_analytics_off_and_temp_dirs_under_tmpdir(tmp_path: Path) -> None:
    env = {"TMPDIR": str(tmp_path), "HOME": "/keep"}
    prepare_environment(env)
    assert env["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert env["HF_HUB_OFFLINE"] == "1"
    assert env["GRADIO_TEMP_DIR"] == str(tmp_path / "gradio")
    assert (tmp_path / "gradio").is_dir()
    assert env["HOME"] == "/keep"


def test_analytics_cannot_be_turned_on_but_dirs_can_move(tmp_path: Path) -> None:
    env = {"GRADIO_ANALYTICS_ENABLED": "True", "GRADIO_TEMP_DIR": str(tmp_path / "g"), "TMPDIR": str(tmp_path)}
    prepare_environment(env)
    assert env["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert env["GRADIO_TEMP_DIR"] == str(tmp_path / "g")
    assert env["HOME"] == str(tmp_path)


def test_matplotlib_import_fails_fast_in_the_app_process() -> None:
    import subprocess
    import sys

    code = ("from frontend.environment import keep_matplotlib_out\n"
            "keep_matplotlib_out()\n"
            "try:\n    import matplotlib\nexcept ImportError:\n    print('blocked')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "blocked"
