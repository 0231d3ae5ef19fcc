# %% [markdown]
# Fault: an exercise whose function raises KeyboardInterrupt, and one that calls exit(), when
# called (the old grader's loop stopped at the first).

# %%
def normalize_rows(x):
    raise KeyboardInterrupt


def softmax(x):
    raise SystemExit(3)
