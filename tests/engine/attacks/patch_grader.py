# %% [markdown]
# Attack: replace the grading functions the old grader ran in the kernel with ones that report
# every exercise as passed.

# %%
import json
from shared_utils.engine import checking


def _all_passed(namespace, module):
    return [{"exercise": n, "passed": True, "message": "correct"} for n in checking.exercises(module)]


checking.grade = _all_passed
checking.grade_and_print = lambda ns, m: print("@@WORKBOOK-GRADE@@" + json.dumps(_all_passed(ns, m)))
