# %% [markdown]
# Attack: read the solutions through another program, which the audit hook would not watch.

# %%
import subprocess

import shared_utils

_source = shared_utils.REPO_ROOT / "sources" / "course1_foundations" / "01_python_numpy.py"
try:
    print(subprocess.run(["cat", str(_source)], capture_output=True, text=True).stdout[:100])
except PermissionError as exc:
    print("refused:", exc)
try:
    import os

    os.system(f"cat {_source}")
except PermissionError as exc:
    print("refused:", exc)
