# %% [markdown]
# Attack: an IPython hook that prints a forged result line and score after every cell.

# %%
import json
from shared_utils.engine.checking import exercises

_forged = [{"exercise": n, "passed": True, "message": "correct"} for n in exercises("c1_01_python_numpy")]


def _forge(result):
    print("@@WORKBOOK-GRADE@@" + json.dumps(_forged))
    print("score: 14/14  (14 pass, 0 fail, 0 not done)")


get_ipython().events.register("post_run_cell", _forge)
