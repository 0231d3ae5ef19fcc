"""The executor's quiet mode (the grader's) and the cell numbers it reports."""

from __future__ import annotations

import nbformat

from shared_utils.engine.execute import cell_number, execute_notebook


def test_quiet_kernel_prints_nothing_and_numbers_cells_as_jupyterlab(tmp_path, capfd):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import os\nos.write(2, b'native log line\\n')"),
            nbformat.v4.new_markdown_cell("prose"),
            nbformat.v4.new_code_cell("   "),  # empty: never sent to the kernel
            nbformat.v4.new_code_cell("import warnings\nwarnings.warn('in the kernel')"),
            nbformat.v4.new_code_cell("1 / 0"),
        ]
    )
    run = execute_notebook(nb, tmp_path, cell_timeout=60, quiet=True)
    out, err = capfd.readouterr()
    assert out == "" and err == "", "quiet: no kernel warning, no TCP notice, no native log line"
    assert "native log line" in run.kernel_log and "TCP" not in run.kernel_log
    assert [e.index for e in run.errors] == [4]
    counts = [c.get("execution_count") for c in nb.cells]
    assert counts == [1, None, None, 2, 3]
    assert [cell_number(nb, i) for i in range(len(nb.cells))] == counts
