# %% [markdown]
# Attack: read the source notebook with its solutions from disk and run it, then define an
# exercise by calling the solution found there.

# %%
import shared_utils

_source = shared_utils.REPO_ROOT / "sources" / "course1_foundations" / "01_python_numpy.py"
_ns = {}
try:
    exec(_source.read_text(), _ns)
except PermissionError as exc:
    print("refused:", exc)


def softmax(x):
    return _ns["softmax"](x)
