# %% [markdown]
# Attack: damage what is graded: rewrite this notebook and a sibling in the learner's folder,
# delete the course data, write into the workbook's package.  The test fills in LEARNER_DIR.

# %%
import os
import shutil
import shared_utils

LEARNER_DIR = "{LEARNER_DIR}"
for target in (os.path.join(LEARNER_DIR, "attack.ipynb"), os.path.join(LEARNER_DIR, "sibling.ipynb")):
    try:
        with open(target, "w") as f:
            f.write("{}")
    except OSError as exc:
        print("refused:", exc)
for target in ("data/README.md", str(shared_utils.REPO_ROOT / "course1_foundations" / "data" / "README.md")):
    try:
        os.remove(target)
    except OSError as exc:
        print("refused:", exc)
try:
    shutil.rmtree(os.path.join(LEARNER_DIR, "keep"))
except OSError as exc:
    print("refused:", exc)
try:
    with open(shared_utils.REPO_ROOT / "shared_utils" / "checks" / "__init__.py", "a") as f:
        f.write("# changed\n")
except OSError as exc:
    print("refused:", exc)
